import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { type HomePaths, openDatabase, resolveHome, schemaVersion } from '../storage/index.js';
import { configTemplate } from './config-template.js';

/** Creates PYCLAW_HOME (private to the user), a commented config.yaml, and an up-to-date database. */
export function initHome(
  env: NodeJS.ProcessEnv,
  options: { force: boolean },
): { paths: HomePaths; configWritten: boolean; schemaVersion: number } {
  const paths = resolveHome(env);
  for (const dir of [paths.root, paths.artifacts, paths.skills, paths.logs, paths.models]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  chmodSync(paths.root, 0o700);
  const configWritten = options.force || !existsSync(paths.config);
  if (configWritten) writeFileSync(paths.config, configTemplate, { mode: 0o600 });
  const db = openDatabase(paths.database);
  try {
    return { paths, configWritten, schemaVersion: schemaVersion(db) };
  } finally {
    db.close();
  }
}
