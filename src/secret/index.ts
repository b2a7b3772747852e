export type { Redactor } from './redactor-contract.js';
