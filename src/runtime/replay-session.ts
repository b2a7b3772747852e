import { checkTurn, decideNext, renderTranscript } from '../brain/index.js';
import type { StoredEvent } from '../core/index.js';
import type { Registry } from '../registry/index.js';
import type { PyclawApp } from './app.js';

export interface SessionReplay {
  transcript: string;
  /** Turns whose log does not hold together, or that never ended; one line each. */
  problems: string[];
}

/**
 * Rebuilds a session's turns from its log alone: each turn's phase transitions must follow the table,
 * and the brain, given a finished turn's events, must find nothing left to do. No model or tool runs.
 */
export function replaySession(app: PyclawApp, sessionId: string): SessionReplay {
  const events = app.log.read(sessionId);
  const tools = app.tools();
  const problems: string[] = [];
  for (const [turnId, turnEvents] of eventsByTurn(events)) {
    const broken = checkTurn(turnEvents);
    if (broken) problems.push(`turn ${turnId}, seq ${broken.seq}: ${broken.message}`);
    const next = decideNext({
      events: turnEvents,
      ...agentSettings(app.registry(), turnEvents),
      now: turnEvents.at(-1)?.ts ?? 0,
      tool: (name) => tools.facts(name),
    });
    if (next.kind !== 'done')
      problems.push(`turn ${turnId} never finished (its next step is ${next.kind}; run \`pyclaw resume\`)`);
  }
  return { transcript: renderTranscript(events), problems };
}

function eventsByTurn(events: readonly StoredEvent[]): Map<string, StoredEvent[]> {
  const turns = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (event.turnId === null) continue;
    const turn = turns.get(event.turnId) ?? [];
    turns.set(event.turnId, turn);
    turn.push(event);
  }
  return turns;
}

function agentSettings(registry: Registry, turnEvents: readonly StoredEvent[]) {
  const agentId = (turnEvents.find((event) => event.type === 'turn.started')?.payload as { agentId?: string })
    ?.agentId;
  const agent = registry.get(agentId ?? 'default');
  return { limits: agent.limits, verify: agent.verify, reflect: agent.reflect };
}
