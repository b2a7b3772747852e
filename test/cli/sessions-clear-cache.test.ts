import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ClearedCache } from '../../src/diagnostics/index.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** A scripted agent whose session gets a rolling summary after every turn or two. */
function summarisingHome(): { home: string; workspace: string } {
  const home = tempDir();
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  script: { kind: scripted, repeat: true, responses: [{ text: "Noted; the plan stands." }] }
agents:
  default:
    models:
      default: { provider: script, model: demo }
    context: { summary: { everyEvents: 10, keepRecentEvents: 0 } }
`,
  );
  return { home, workspace: tempDir() };
}

const json = (home: string, args: string[], workspace?: string) => {
  const result = runCli(home, [...args, '--json'], {}, workspace);
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.code, args.join(' ')).toBe(0);
  return JSON.parse(result.stdout);
};

interface Pack {
  turnId: string;
  pack: { sections: Array<{ section: string; text: string }> };
}
const summaryOf = (packs: Pack[]) =>
  packs.at(-1)?.pack.sections.find((section) => section.section === 'summary')?.text ?? '';

describe('pyclaw sessions clear-cache', () => {
  it("rebuilds a session's derived rows from its log, says which had drifted, and the next turn works with them", () => {
    const { home, workspace } = summarisingHome();
    const session = json(
      home,
      ['run', 'We are planning the garden: tomatoes in bed one.'],
      workspace,
    ).sessionId;
    for (const message of ['Beans go in bed two.', 'Water every morning.']) {
      json(home, ['run', message, '--session', session], workspace);
    }
    expect(json(home, ['sessions', 'events', session, '--type', 'summary.updated']).length).toBeGreaterThan(
      0,
    );
    const { turnId } = (json(home, ['context', 'show', 'last', '--session', session]) as Pack[])[0] as Pack;
    const turnEvents = json(home, ['sessions', 'events', session, '--turn', turnId]).length;
    const eventCount = () => json(home, ['sessions', 'list'])[0].eventCount;
    const events = eventCount();

    // in step: everything is rebuilt as it was
    const healthy = json(home, ['sessions', 'clear-cache', session]) as { caches: ClearedCache[] };
    expect(healthy.caches.map((c) => [c.table, c.changed])).toEqual([
      ['turn_runs', false],
      ['open_turns', false],
      ['session_context', false],
      ['event_artifacts', false],
    ]);
    expect(healthy.caches.find((c) => c.table === 'session_context')?.rebuilt).toBe(1);

    // another program loses the marks and turn index, and leaves a phantom open turn
    const db = new Database(join(home, 'pyclaw.db'));
    db.prepare('DELETE FROM session_context WHERE session_id = ?').run(session);
    db.prepare('DELETE FROM turn_runs WHERE session_id = ?').run(session);
    db.prepare("INSERT INTO open_turns VALUES (?, 'phantom', 1)").run(session);
    db.close();
    expect(runCli(home, ['context', 'show', 'last', '--session', session]).code).toBe(1);
    expect(json(home, ['sessions', 'events', session, '--turn', turnId])).toEqual([]);

    const cleared = runCli(home, ['sessions', 'clear-cache', session]);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/^turn_runs +0 +\d+ +had drifted, now in step/m);
    expect(cleared.stdout).toMatch(/^open_turns +1 +0 +had drifted, now in step/m);
    expect(cleared.stdout).toMatch(/^session_context +0 +1 +had drifted, now in step/m);
    expect(cleared.stdout).toMatch(/^event_artifacts +\d+ +\d+ +was in step/m);
    expect(cleared.stdout).toContain(
      `rebuilt from the ${events} events of session ${session}; the events were not changed`,
    );
    expect(eventCount()).toBe(events);
    expect(json(home, ['sessions', 'verify', session])[0].ok).toBe(true);
    expect(json(home, ['sessions', 'events', session, '--turn', turnId])).toHaveLength(turnEvents);
    expect(json(home, ['approvals', 'list'])).toEqual([]);

    // the next turn finds the rolling summary through the rebuilt mark and packs it
    const next = json(home, ['run', 'What goes in bed two?', '--session', session], workspace);
    expect(next.outcome.status).toBe('completed');
    const packs = json(home, ['context', 'show', 'last', '--session', session]) as Pack[];
    expect(packs[0]?.turnId).not.toBe(turnId);
    expect(summaryOf(packs)).toContain('tomatoes in bed one');
  });

  it('names an unknown session in one line and exits non-zero', () => {
    const { home } = summarisingHome();
    const result = runCli(home, ['sessions', 'clear-cache', '01HZZZZZZZZZZZZZZZZZZZZZZZ']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^pyclaw: no session 01HZZZZZZZZZZZZZZZZZZZZZZZ \(.*\)\n$/);
  });
});
