export {
  type Directive,
  type DirectiveName,
  directiveNames,
  type IssuedDirective,
  issuedDirective,
  issuedDirectives,
} from './directive.js';
export { type GovernInput, governTurn } from './govern.js';
export { detectLoop, type LoopFinding, repeatedCalls, type ToolHistory } from './loop-signal.js';
export { readSignals, type ToolRisk, type TurnSignals } from './signals.js';
