import type { Tool } from '../contract.js';
import { fsEdit } from './edit.js';
import { fsList } from './list.js';
import { fsRead } from './read.js';
import { fsWrite } from './write.js';

/** The tools every PyClaw install has. */
export function builtinTools(): Tool[] {
  return [fsRead, fsList, fsWrite, fsEdit];
}
