import { latestPackEvent } from '../compress/index.js';
import { loadRecordedPack, type PackNaming, type PromptPack } from '../context/index.js';
import { PyclawError } from '../core/index.js';
import type { PyclawApp } from './app.js';

export interface TurnPack {
  sessionId: string;
  turnId: string;
  stepId: string | null;
  seq: number;
  /** sha256 of the pack as stored (absent for packs recorded before packs carried it). */
  packHash?: string;
  /** The artifact holding the pack whole; or the event whose pack this one is a patch of. */
  packArtifact?: string;
  patchedFrom?: number;
  pack: PromptPack;
}

/**
 * The PromptPacks of one turn (one per model step, in order), read back from the log and artifacts. `last`
 * is the turn of the newest pack in the session (the newest session when none is given).
 */
export async function turnPacks(app: PyclawApp, turn: string, sessionId?: string): Promise<TurnPack[]> {
  const session =
    sessionId ?? (turn === 'last' ? app.log.listSessions({ limit: 1 })[0]?.id : sessionOf(app, turn));
  if (!session || !app.log.getSession(session)) {
    throw new PyclawError(
      'context.no-session',
      sessionId ? `no session ${sessionId}` : `no turn ${turn} in any session`,
      {
        hint: 'see `pyclaw sessions list`; a turn id is in `pyclaw sessions events <session>`',
      },
    );
  }
  const turnId = turn === 'last' ? latestPackEvent(app.db, app.log, session)?.turnId : turn;
  const packed = turnId
    ? app.log.byTurn(session, turnId).filter((event) => event.type === 'context.packed')
    : [];
  if (!turnId || packed.length === 0) {
    throw new PyclawError(
      'context.no-pack',
      `no prompt pack for ${turn === 'last' ? 'any turn' : `turn ${turn}`} in session ${session}`,
      {
        hint: 'packs are recorded for each model call of a turn; run a turn first',
      },
    );
  }
  return Promise.all(
    packed.map(async (event) => {
      const { packArtifact, packHash, packPatch } = event.payload as Partial<PackNaming>;
      return {
        sessionId: session,
        turnId,
        stepId: event.stepId,
        seq: event.seq,
        ...(packHash === undefined ? {} : { packHash }),
        ...(packArtifact === undefined ? {} : { packArtifact }),
        ...(packPatch === undefined ? {} : { patchedFrom: packPatch.base }),
        pack: await loadRecordedPack(app, event),
      };
    }),
  );
}

function sessionOf(app: PyclawApp, turnId: string): string | undefined {
  const row = app.db
    .prepare<[string], { session_id: string }>('SELECT session_id FROM turn_runs WHERE turn_id = ? LIMIT 1')
    .get(turnId);
  return row?.session_id;
}
