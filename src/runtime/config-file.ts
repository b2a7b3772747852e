import { renameSync, writeFileSync } from 'node:fs';
import { type Document, parseDocument } from 'yaml';
import { type Config, parseConfig, readConfigText } from './config.js';
import { configText } from './config-document.js';

/**
 * Edits config.yaml in place, comments kept. `edit` sees the current config (which must load) and the
 * document to change; the file is replaced, atomically, only when the edited config loads too.
 */
export function editConfigFile(path: string, edit: (doc: Document, config: Config) => void): Config {
  const before = readConfigText(path);
  const doc = parseDocument(before);
  edit(doc, parseConfig(before, path));
  const after = configText(doc);
  const config = parseConfig(after, path);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, after, { mode: 0o600 });
  renameSync(temporary, path);
  return config;
}
