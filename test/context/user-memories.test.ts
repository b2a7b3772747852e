import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventPayloadSchemas } from '../../src/core/index.js';
import { openApp, type PyclawApp, runInSession } from '../../src/runtime/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** An agent that answers "Noted." and, reflecting, proposes a fact about the user and a lesson. */
async function reflectingApp(): Promise<PyclawApp> {
  const home = tempDir();
  const lessons = JSON.stringify({
    lessons: [
      { kind: 'fact', text: 'The user is vegetarian' },
      { kind: 'lesson', text: 'Menus are easier to read as short lists' },
    ],
  });
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  script: { kind: scripted, repeat: true, responses: [{ text: "Noted." }, { text: ${JSON.stringify(lessons)} }] }
agents:
  default:
    reflect: true
    models:
      default: { provider: script, model: scripted }
memory:
  promoteAfter: 0
`,
  );
  return openApp({ env: { PYCLAW_HOME: home } });
}

/** The memories the turn's pack took in, by text. */
function packedMemories(app: PyclawApp, sessionId: string, turnId: string): string[] {
  const packed = app.log.byType(sessionId, 'context.packed').filter((event) => event.turnId === turnId);
  expect(packed).toHaveLength(1);
  const { telemetry } = eventPayloadSchemas['context.packed'].parse(packed[0]?.payload);
  return telemetry
    .filter((item) => item.section === 'memory' && item.decision === 'included')
    .map((item) => app.memory().store.get(item.ref.replace(/^memory:/, '')).text)
    .sort();
}

describe('memories about a user', () => {
  it("reach that user's turns only, next to the agent's and everyone's", async () => {
    const app = await reflectingApp();
    try {
      const { store } = app.memory();
      store.add({ kind: 'preference', scope: 'user:telegram:42', text: 'Wants the lunch menu in French' });
      store.add({ kind: 'preference', scope: 'user:telegram:43', text: 'Wants the lunch menu in German' });
      store.add({ kind: 'preference', scope: 'user:http:42', text: 'Wants the lunch menu as a PDF' });
      store.add({ kind: 'fact', scope: 'agent:default', text: 'The lunch menu changes on Mondays' });
      store.add({ kind: 'fact', scope: 'global', text: 'The canteen serves lunch menu items until 14:00' });
      const shared = ['The canteen serves lunch menu items until 14:00', 'The lunch menu changes on Mondays'];

      const ask = async (origin?: { channel: string; externalUserId?: string }) => {
        const sessionId = app.log.createSession({ agentId: 'default' }).id;
        const result = await runInSession(app, {
          sessionId,
          message: "What is on today's lunch menu?",
          origin,
        });
        if (result.outcome?.status !== 'completed') throw new Error(`turn ${result.outcome?.status}`);
        return packedMemories(app, sessionId, result.outcome.turnId);
      };
      expect(await ask({ channel: 'telegram', externalUserId: '42' })).toEqual(
        [...shared, 'Wants the lunch menu in French'].sort(),
      );
      expect(await ask({ channel: 'telegram', externalUserId: '43' })).toEqual(
        [...shared, 'Wants the lunch menu in German'].sort(),
      );
      // the same id on another channel is another person; a sender nobody named reads no one's
      expect(await ask({ channel: 'http', externalUserId: '42' })).toEqual(
        [...shared, 'Wants the lunch menu as a PDF'].sort(),
      );
      expect(await ask({ channel: 'http' })).toEqual(shared);
      expect(await ask()).toEqual(shared);
    } finally {
      await app.close();
    }
  });

  it("reflection keeps what a user said about themselves in that user's scope, lessons in the agent's", async () => {
    const app = await reflectingApp();
    try {
      const sessionId = app.log.createSession({ agentId: 'default' }).id;
      const origin = { channel: 'telegram', externalUserId: '42' };
      await runInSession(app, { sessionId, message: 'I am vegetarian, what is for lunch?', origin });
      const proposed = app.log
        .byType(sessionId, 'memory.candidate')
        .map((event) => eventPayloadSchemas['memory.candidate'].parse(event.payload))
        .map(({ kind, scope }) => [kind, scope]);
      expect(proposed).toEqual([
        ['fact', 'user:telegram:42'],
        ['lesson', 'agent:default'],
      ]);
    } finally {
      await app.close();
    }
  });
});
