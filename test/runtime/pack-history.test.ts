import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openApp, runInSession, turnPacks } from '../../src/runtime/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** A home whose agent reads part of a file (arguments in unsorted order) and answers, turn after turn. */
function homeWithWorkspace(turns = 2) {
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
      providers: {
        script: { kind: 'scripted', responses: Array.from({ length: turns }, () => oneTurn).flat() },
      },
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

describe('the packs of sessions taken in turns by one process', () => {
  it("are each patched from the same session's previous pack, and rebuild to that session's prompt", async () => {
    const { home, workspace } = homeWithWorkspace(4);
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      const say = (message: string, sessionId?: string) =>
        runInSession(app, { message, workspaceRoots: [workspace], ...(sessionId ? { sessionId } : {}) });
      const a = (await say('apples')).sessionId;
      const b = (await say('bananas')).sessionId;
      await say('more apples', a);
      await say('more bananas', b);
      for (const [sessionId, own, other] of [
        [a, 'apples', 'bananas'],
        [b, 'bananas', 'apples'],
      ] as const) {
        const packs = await turnPacks(app, 'last', sessionId);
        expect(packs.map((pack) => pack.packArtifact)).toEqual([undefined, undefined]);
        const earlier = app.log.byType(sessionId, 'context.packed').map((event) => event.seq);
        expect(packs.map((pack) => pack.patchedFrom)).toEqual(earlier.slice(1, 3));
        const sent = JSON.stringify(packs.map((pack) => pack.pack.request.messages));
        expect(sent).toContain(`"${own}"`);
        expect(sent).toContain(`"more ${own}"`);
        expect(sent).not.toContain(other);
      }
    } finally {
      await app.close();
    }
  });
});
