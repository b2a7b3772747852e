import { statSync } from 'node:fs';
import { rebuildWordsIndex, wordsIndexProblem } from '../memory/index.js';
import type { PyclawApp } from '../runtime/index.js';
import { latestSchemaVersion, schemaVersion } from '../storage/index.js';
import { type CheckResult, ok } from './check-result.js';

const walWarnBytes = 256 * 1024 * 1024;

export function storageChecks(app: PyclawApp, fix: boolean): CheckResult[] {
  // the words index first: with --fix, integrity then sees the rebuilt index
  return [memoryWordsIndex(app, fix), integrity(app), schema(app), walSize(app, fix)];
}

const rebuildWordsFix = 'pyclaw doctor --fix (rebuilds it from the memories; nothing is lost)';

function integrity(app: PyclawApp): CheckResult {
  const rows = app.db.pragma('integrity_check') as Array<{ integrity_check: string }>;
  const problems = rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  if (problems.length === 0) return ok('storage', 'integrity', app.paths.database);
  const onlyWordsIndex = problems.every((problem) => problem.includes('"memories_fts"'));
  return {
    area: 'storage',
    name: 'integrity',
    status: 'fail',
    detail: `${problems.length} problem(s): ${problems[0]}`,
    fix: onlyWordsIndex
      ? `the damage is in the memory words index only: ${rebuildWordsFix}`
      : `stop PyClaw, copy ${app.paths.database} aside, then recover it with \`sqlite3 pyclaw.db .recover\``,
  };
}

function schema(app: PyclawApp): CheckResult {
  const version = schemaVersion(app.db);
  if (version === latestSchemaVersion) return ok('storage', 'migrations', `schema version ${version}`);
  return {
    area: 'storage',
    name: 'migrations',
    status: 'fail',
    detail: `schema version ${version}, this PyClaw expects ${latestSchemaVersion}`,
    fix: 'open the home once with this version of PyClaw (any command) to migrate it',
  };
}

function walSize(app: PyclawApp, fix: boolean): CheckResult {
  const walPath = `${app.paths.database}-wal`;
  const bytes = fileSize(walPath);
  if (bytes < walWarnBytes) return ok('storage', 'WAL size', `${mib(bytes)} MiB`);
  if (fix) {
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    return {
      ...ok('storage', 'WAL size', `${mib(fileSize(walPath))} MiB`),
      fixed: `checkpointed ${mib(bytes)} MiB`,
    };
  }
  return {
    area: 'storage',
    name: 'WAL size',
    status: 'warn',
    detail: `${mib(bytes)} MiB not yet checkpointed into the database`,
    fix: 'pyclaw doctor --fix (checkpoints it)',
  };
}

/** PRAGMA integrity_check does not compare an FTS5 index with its content table; FTS5 itself can. */
function memoryWordsIndex(app: PyclawApp, fix: boolean): CheckResult {
  const name = 'memory words index';
  const problem = wordsIndexProblem(app.db);
  if (!problem) return ok('storage', name, 'in step with the memories');
  if (fix) {
    rebuildWordsIndex(app.db);
    return { ...ok('storage', name, 'in step with the memories'), fixed: 'rebuilt from the memories' };
  }
  return {
    area: 'storage',
    name,
    status: 'fail',
    detail: `${problem}: memory search misses memories or fails`,
    fix: rebuildWordsFix,
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
