import { eventPayloadSchemas, type StoredEvent } from '../core/index.js';

/**
 * What the metagovernor can tell the brain, strongest last:
 * - `require_validation`: the answer must pass the verify phase, even where the agent skips it;
 * - `ask_human`: the next call of a tool that is not read-only needs a human's approval, whatever policy says;
 * - `disable_risky_tools`: the model is offered, and may run, only read-only tools for the rest of the turn;
 * - `stop`: the turn ends now, failed, with the reason.
 */
export const directiveNames = ['require_validation', 'ask_human', 'disable_risky_tools', 'stop'] as const;
export type DirectiveName = (typeof directiveNames)[number];

/** A directive as `directive.issued` records it; `signal` names what triggered it. */
export interface Directive {
  directive: DirectiveName;
  reason: string;
  signal: string;
}

export interface IssuedDirective extends Directive {
  seq: number;
}

/** The directives issued in a turn's events, in order; unknown directive names are skipped. */
export function issuedDirectives(events: readonly StoredEvent[]): IssuedDirective[] {
  return events.flatMap((event) => issuedDirective(event) ?? []);
}

/** The directive a `directive.issued` event records; undefined for other events and unknown names. */
export function issuedDirective(event: StoredEvent): IssuedDirective | undefined {
  if (event.type !== 'directive.issued') return undefined;
  const payload = eventPayloadSchemas['directive.issued'].safeParse(event.payload);
  if (!payload.success || !isDirectiveName(payload.data.directive)) return undefined;
  const { directive, reason, signal } = payload.data;
  return { directive, reason, signal: signal ?? '', seq: event.seq };
}

function isDirectiveName(name: string): name is DirectiveName {
  return (directiveNames as readonly string[]).includes(name);
}
