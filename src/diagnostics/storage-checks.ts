import { statSync } from 'node:fs';
import type { PyclawApp } from '../runtime/index.js';
import { latestSchemaVersion, schemaVersion } from '../storage/index.js';
import { type CheckResult, ok } from './check-result.js';

const walWarnBytes = 256 * 1024 * 1024;

export function storageChecks(app: PyclawApp, fix: boolean): CheckResult[] {
  return [integrity(app), schema(app), walSize(app, fix)];
}

function integrity(app: PyclawApp): CheckResult {
  const rows = app.db.pragma('integrity_check') as Array<{ integrity_check: string }>;
  const problems = rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  if (problems.length === 0) return ok('storage', 'integrity', app.paths.database);
  return {
    area: 'storage',
    name: 'integrity',
    status: 'fail',
    detail: `${problems.length} problem(s): ${problems[0]}`,
    fix: `stop PyClaw, copy ${app.paths.database} aside, then recover it with \`sqlite3 pyclaw.db .recover\``,
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

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
