import { eventPayloadSchemas, PyclawError, type StoredEvent, safeParsePayload } from '../core/index.js';
import { type TurnPhase, turnPhases } from './contract.js';

/** Every phase a turn may enter from each phase (`null`: the turn has not entered any phase yet). */
const allowedNext: ReadonlyMap<TurnPhase | null, readonly TurnPhase[]> = new Map<
  TurnPhase | null,
  readonly TurnPhase[]
>([
  [null, ['interpret']],
  ['interpret', ['plan']],
  ['plan', ['policy-gate', 'verify']],
  ['policy-gate', ['act']],
  ['act', ['observe']],
  ['observe', ['plan']],
  ['verify', ['reflect', 'plan']],
  ['reflect', ['respond']],
  ['respond', []],
]);

function isTransitionAllowed(from: TurnPhase | null, to: TurnPhase): boolean {
  return allowedNext.get(from)?.includes(to) ?? false;
}

export function assertTransition(from: TurnPhase | null, to: TurnPhase): void {
  if (isTransitionAllowed(from, to)) return;
  throw new PyclawError('brain.illegal-transition', `a turn cannot go from ${phaseName(from)} to ${to}`, {
    hint: `from ${phaseName(from)} a turn may enter: ${allowedNext.get(from)?.join(', ') || 'nothing'}`,
  });
}

export function isTurnPhase(value: string): value is TurnPhase {
  return (turnPhases as readonly string[]).includes(value);
}

export interface TransitionProblem {
  /** The `turn.phase` event at fault. */
  seq: number;
  message: string;
}

/**
 * The first `turn.phase` event of a turn that breaks the transition table: an unknown phase, a `from`
 * that is not the phase the turn was in, or a move the table does not allow. Undefined when all hold.
 */
export function checkTurn(events: readonly StoredEvent[]): TransitionProblem | undefined {
  let current: TurnPhase | null = null;
  for (const event of events) {
    if (event.type !== 'turn.phase') continue;
    const parsed = safeParsePayload(eventPayloadSchemas['turn.phase'], event.payload);
    if (!parsed.success) return { seq: event.seq, message: 'turn.phase payload is malformed' };
    const { phase, from = null } = parsed.data;
    if (!isTurnPhase(phase)) return { seq: event.seq, message: `unknown phase "${phase}"` };
    if (from !== current) {
      return {
        seq: event.seq,
        message: `entered ${phase} from ${from ?? phaseName(null)}, but the turn was in ${phaseName(current)}`,
      };
    }
    if (!isTransitionAllowed(current, phase)) {
      return { seq: event.seq, message: `a turn cannot go from ${phaseName(current)} to ${phase}` };
    }
    current = phase;
  }
  return undefined;
}

function phaseName(phase: TurnPhase | null): string {
  return phase ?? 'no phase';
}
