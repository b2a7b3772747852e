import type { NextStep, TurnPhase } from './contract.js';
import { assertTransition } from './transitions.js';

/** The step that moves the turn into `phase`; `skippedBecause` records it as skipped, with the reason. */
export function enterPhase(phase: TurnPhase, from: TurnPhase | null, skippedBecause?: string): NextStep {
  assertTransition(from, phase);
  return skippedBecause === undefined
    ? { kind: 'enter-phase', phase, from }
    : { kind: 'enter-phase', phase, from, skipped: true, reason: skippedBecause };
}
