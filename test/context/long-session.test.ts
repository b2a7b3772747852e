import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecordedPack } from '../../src/context/index.js';
import { eventPayloadSchemas, type StoredEvent } from '../../src/core/index.js';
import { openApp, runInSession } from '../../src/runtime/index.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const turns = 500;
const lockerFact = "The user's locker code is 4711.";

/**
 * What the agent's model says, in order: each turn an answer, then its reflection (the agent has no
 * fast model, so the default one reflects and summaries are extractive). Reflecting on turn 3 it
 * proposes the locker code; every tenth turn it proposes something about the turn's topic, which
 * comes back often enough to be promoted by evidence, so memory fills with other matches too.
 */
function script(): string {
  const answer = { text: 'Noted, and here is a longer answer so the window fills up over time.' };
  const reflection = (turn: number) => {
    const lessons =
      turn === 3
        ? [{ kind: 'fact', text: lockerFact }]
        : turn % 10 === 0
          ? [{ kind: 'fact', text: `The user keeps coming back to topic ${turn % 17}` }]
          : [];
    return { text: JSON.stringify({ lessons }) };
  };
  return JSON.stringify(Array.from({ length: turns }, (_, i) => [answer, reflection(i + 1)]).flat());
}

function ok(args: string[], home: string): string {
  const result = runCli(home, args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('a 500-turn session', () => {
  it('keeps every pack within its budget, and a fact told in turn 3, reflected on and promoted by the user, is in the pack at turn 500 when asked for', async () => {
    const home = tempDir();
    const workspace = tempDir();
    writeFileSync(
      join(home, 'config.yaml'),
      `providers:
  script: { kind: scripted, responses: ${script()} }
agents:
  default:
    reflect: true
    models:
      default: { provider: script, model: scripted }
    context: { maxTokens: 2000 }
`,
    );
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    try {
      const sessionId = app.log.createSession({ agentId: 'default' }).id;
      const say = async (message: string) => {
        const { outcome } = await runInSession(app, { sessionId, message, workspaceRoots: [workspace] });
        if (outcome?.status !== 'completed') throw new Error(`turn ended ${outcome?.status}`);
        return outcome.turnId;
      };
      let lockerMemory = '';
      for (let turn = 1; turn < turns; turn++) {
        const turnId = await say(
          turn === 3
            ? 'My locker code is 4711.'
            : `Turn ${turn}: let us talk about topic ${turn % 17}, the weather and the plans for the week.`,
        );
        if (turn !== 3) continue;
        // reflection proposed it as a candidate of this turn; the user confirms it
        const [proposed] = app.log.byType(sessionId, 'memory.candidate').filter((e) => e.turnId === turnId);
        expect(proposed?.payload).toMatchObject({ kind: 'fact', text: lockerFact, scope: 'agent:default' });
        const [candidate] = JSON.parse(ok(['memory', 'candidates', '--json'], home));
        expect(candidate).toMatchObject({ text: lockerFact, status: 'pending' });
        lockerMemory = JSON.parse(ok(['memory', 'promote', candidate.id, '--json'], home)).id;
      }
      const lastTurn = await say('What is my locker code?');

      const promoted = app.log
        .byType(sessionId, 'memory.promoted')
        .map((event) => eventPayloadSchemas['memory.promoted'].parse(event.payload));
      expect(promoted[0]).toMatchObject({ memoryId: lockerMemory, by: 'user:cli' });
      // repeated evidence promoted the topics too: memory holds more than the one fact
      expect(promoted.filter((p) => p.by === 'evidence').length).toBeGreaterThan(3);

      const packEvents = app.log.byType(sessionId, 'context.packed');
      const packed = packEvents.map((event) => ({
        turnId: event.turnId,
        ...eventPayloadSchemas['context.packed'].parse(event.payload),
      }));
      expect(packed).toHaveLength(turns);
      for (const pack of packed) expect(pack.totalTokens).toBeLessThanOrEqual(pack.budget ?? 0);
      const sizes = packed.map((pack) => JSON.stringify(pack).length);
      // bounded: the last hundred turns' packs (and their telemetry) are no bigger than those around turn 100
      expect(Math.max(...sizes.slice(-100))).toBeLessThanOrEqual(2 * Math.max(...sizes.slice(50, 150)));

      // the fact enters the pack when the question needs it, and only then
      const lockerRef = `memory:${lockerMemory}`;
      const withLocker = packed.filter((pack) =>
        pack.telemetry.some((item) => item.ref === lockerRef && item.decision === 'included'),
      );
      expect(withLocker.map((pack) => pack.turnId)).toEqual([lastTurn]);
      expect(packed.at(-2)?.telemetry.some((item) => item.section === 'memory')).toBe(true);

      const summaries = app.log
        .byType(sessionId, 'summary.updated')
        .map((event) => eventPayloadSchemas['summary.updated'].parse(event.payload));
      expect(summaries.length).toBeGreaterThan(10);
      summaries.forEach((summary, index) => {
        expect(summary.fromSeq).toBe(index === 0 ? 1 : (summaries[index - 1]?.toSeq ?? 0) + 1);
        expect(summary.summary).toMatch(/^Goal: .*\nDecisions:\n[\s\S]*Last state: /);
      });

      const lastPack = await loadRecordedPack(app, packEvents.at(-1) as StoredEvent);
      const section = (name: string) => lastPack.sections.find((s) => s.section === name)?.text ?? '';
      expect(section('memory')).toContain(lockerFact);
      // it came from memory: turn 3 is long out of the recent window
      expect(section('recent')).not.toContain('4711');
      expect(section('summary')).toMatch(/^## The conversation so far/);
      expect(lastPack.totalTokens).toBeLessThanOrEqual(lastPack.budgets.total);
    } finally {
      await app.close();
    }
  }, 600_000);
});
