import type { PyclawApp } from '../runtime/index.js';
import { type CheckResult, ok } from './check-result.js';

/** Without `--full`, the chains of this many most recent sessions are verified. */
const sampledSessions = 20;

export function eventChainCheck(app: PyclawApp, full: boolean): CheckResult {
  const sessions = app.log.listSessions(full ? {} : { limit: sampledSessions });
  const broken = sessions.flatMap((session) => {
    const report = app.log.verify(session.id);
    return report.ok ? [] : [`session ${session.id} at seq ${report.firstBadSeq}: ${report.reason}`];
  });
  const scope = full ? `all ${sessions.length} sessions` : `the ${sessions.length} most recent sessions`;
  if (broken.length === 0) return ok('event log', 'hash chains', `${scope} verify`);
  return {
    area: 'event log',
    name: 'hash chains',
    status: 'fail',
    detail: `${broken.length} broken: ${broken[0]}`,
    fix: 'the log was changed outside PyClaw; `pyclaw sessions verify <id>` shows where — restore the database from a backup to recover the original events',
  };
}

export async function artifactCheck(app: PyclawApp, fix: boolean): Promise<CheckResult[]> {
  const report = await app.artifacts.checkIntegrity();
  const damaged = [
    ...report.corrupt.map((hash) => `corrupt ${hash}`),
    ...report.missing.map((hash) => `missing ${hash}`),
  ];
  const integrity: CheckResult =
    damaged.length === 0
      ? ok('artifacts', 'blobs', `${report.checked} blobs re-hashed`)
      : {
          area: 'artifacts',
          name: 'blobs',
          status: 'fail',
          detail: `${damaged.length} of ${report.checked} damaged: ${damaged[0]}`,
          fix: `restore the blob under ${app.paths.artifacts} from a backup; its content cannot be rebuilt`,
        };
  if (!fix) return [integrity];
  const gc = await app.artifacts.gc();
  return [
    integrity,
    {
      ...ok('artifacts', 'unreferenced blobs', 'garbage collected'),
      fixed: `removed ${gc.removed.length} unreferenced or expired blob(s)`,
    },
  ];
}
