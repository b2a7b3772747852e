import type { DirectiveName, IssuedDirective } from '../metagovernor/index.js';
import type { DecideInput } from './contract.js';
import type { TurnRecord } from './turn-record.js';

/** The first directive of this kind the metagovernor issued in the turn; it holds from then on. */
export function directive(turn: TurnRecord, name: DirectiveName): IssuedDirective | undefined {
  return turn.directives.find((issued) => issued.directive === name);
}

export function isRisky(input: DecideInput, tool: string): boolean {
  return input.tool(tool)?.readOnly !== true;
}

/** An `ask_human` directive no risky call has been gated since: the next risky call must ask. */
export function pendingAskHuman(turn: TurnRecord, input: DecideInput): IssuedDirective | undefined {
  const ask = directive(turn, 'ask_human');
  if (!ask) return undefined;
  for (const [callId, seq] of turn.decidedAt) {
    const request = turn.requests.get(callId);
    if (seq > ask.seq && request && isRisky(input, request.tool)) return undefined;
  }
  return ask;
}
