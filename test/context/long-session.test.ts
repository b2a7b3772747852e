import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../src/context/index.js';
import { eventPayloadSchemas } from '../../src/core/index.js';
import { openApp, runInSession } from '../../src/runtime/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const turns = 500;

describe('a 500-turn session', () => {
  it('keeps every pack within its budget, summarises as it goes, and finds a fact from turn 3 at turn 500', async () => {
    const home = tempDir();
    const workspace = tempDir();
    writeFileSync(
      join(home, 'config.yaml'),
      `providers:
  script: { kind: scripted, repeat: true, responses: [{ text: "Noted, and here is a longer answer so the window fills up over time." }] }
agents:
  default:
    models:
      default: { provider: script, model: scripted }
    context: { maxTokens: 2000 }
`,
    );
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      const sessionId = app.log.createSession({ agentId: 'default' }).id;
      const say = (message: string) => runInSession(app, { sessionId, message, workspaceRoots: [workspace] });
      for (let turn = 1; turn < turns; turn++) {
        const message =
          turn === 3
            ? 'My locker code is 4711.'
            : `Turn ${turn}: let us talk about topic ${turn % 17}, the weather and the plans for the week.`;
        expect((await say(message)).outcome?.status).toBe('completed');
        // the user confirms the fact as a memory (what `pyclaw memory add` does)
        if (turn === 3)
          app.memory().store.add({ kind: 'fact', scope: 'agent:default', text: 'My locker code is 4711.' });
      }
      const last = await say('What is my locker code?');
      expect(last.outcome?.status).toBe('completed');

      const packed = app.log.byType(sessionId, 'context.packed');
      expect(packed).toHaveLength(turns);
      for (const event of packed) {
        const payload = eventPayloadSchemas['context.packed'].parse(event.payload);
        expect(payload.totalTokens).toBeLessThanOrEqual(payload.budget ?? 0);
      }
      const sizes = packed.map((event) => JSON.stringify(event.payload).length);
      // bounded: the last hundred turns' packs (and their telemetry) are no bigger than those around turn 100
      expect(Math.max(...sizes.slice(-100))).toBeLessThanOrEqual(2 * Math.max(...sizes.slice(50, 150)));

      const summaries = app.log
        .byType(sessionId, 'summary.updated')
        .map((event) => eventPayloadSchemas['summary.updated'].parse(event.payload));
      expect(summaries.length).toBeGreaterThan(10);
      summaries.forEach((summary, index) => {
        expect(summary.fromSeq).toBe(index === 0 ? 1 : (summaries[index - 1]?.toSeq ?? 0) + 1);
        expect(summary.summary).toMatch(/^Goal: .*\nDecisions:\n[\s\S]*Last state: /);
      });

      const lastPack = await loadPack(
        app.artifacts,
        eventPayloadSchemas['context.packed'].parse(packed.at(-1)?.payload).packArtifact,
      );
      const section = (name: string) => lastPack.sections.find((s) => s.section === name)?.text ?? '';
      expect(section('memory')).toContain('My locker code is 4711.');
      // it came from memory: turn 3 is long out of the recent window
      expect(section('recent')).not.toContain('4711');
      expect(section('summary')).toMatch(/^## The conversation so far/);
      expect(lastPack.totalTokens).toBeLessThanOrEqual(lastPack.budgets.total);
    } finally {
      await app.close();
    }
  }, 600_000);
});
