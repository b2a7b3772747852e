import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openApp, runInSession, turnPacks } from '../../src/runtime/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** A home whose agent reads part of a file (arguments in unsorted order) and answers, turn after turn. */
function homeWithWorkspace() {
  const home = tempDir();
  const workspace = tempDir();
  writeFileSync(join(workspace, 'note.txt'), 'buy milk\nbuy bread\n');
  const oneTurn = [
    { toolCalls: [{ name: 'fs.read', arguments: { path: 'note.txt', limit: 1 } }] },
    { text: 'Your note says: buy milk.' },
  ];
  writeFileSync(
    join(home, 'config.yaml'),
    stringify({
      providers: { script: { kind: 'scripted', responses: [...oneTurn, ...oneTurn] } },
      agents: {
        default: { models: { default: { provider: 'script', model: 'script' } }, tools: ['fs.read'] },
      },
    }),
  );
  return { home, workspace };
}

describe('the earlier turns a pack shows', () => {
  it('are the same whether this process drove them or reads them back from the log', async () => {
    const { home, workspace } = homeWithWorkspace();
    const copy = tempDir();
    const driver = await openApp({ env: { PYCLAW_HOME: home } });
    let sessionId: string;
    let packedHere: unknown;
    try {
      ({ sessionId } = await runInSession(driver, { message: 'first', workspaceRoots: [workspace] }));
      // the log as the first turn left it, for a process that never saw that turn
      driver.db.exec(`VACUUM INTO '${join(copy, 'pyclaw.db')}'`);
      copyFileSync(join(home, 'config.yaml'), join(copy, 'config.yaml'));
      mkdirSync(join(copy, 'artifacts'));
      await runInSession(driver, { sessionId, message: 'second', workspaceRoots: [workspace] });
      packedHere = (await turnPacks(driver, 'last', sessionId))[0]?.pack.request.messages;
    } finally {
      await driver.close();
    }
    const reader = await openApp({ env: { PYCLAW_HOME: copy } });
    try {
      await runInSession(reader, { sessionId, message: 'second', workspaceRoots: [workspace] });
      const packedFromLog = (await turnPacks(reader, 'last', sessionId))[0]?.pack.request.messages;
      expect(JSON.stringify(packedHere)).toContain('"limit');
      expect(JSON.stringify(packedHere)).toBe(JSON.stringify(packedFromLog));
    } finally {
      await reader.close();
    }
  });
});
