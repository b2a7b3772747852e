import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../emulators/http-emulator.js';
import { startOpenAiEmulator } from '../emulators/openai.js';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const lessons = JSON.stringify({
  lessons: [
    { kind: 'preference', text: 'The user prefers metric units' },
    { kind: 'fact', text: 'The user lives in Oslo' },
  ],
});

/** A home whose agent answers "Noted." and then, reflecting, proposes the same two lessons (each run is a new process, so the script starts over). */
function reflectingHome(): string {
  const home = tempDir();
  writeFileSync(
    join(home, 'config.yaml'),
    [
      'providers:',
      '  script:',
      '    kind: scripted',
      '    responses:',
      '      - { text: "Noted." }',
      `      - { text: ${JSON.stringify(lessons)} }`,
      'agents:',
      '  default:',
      '    reflect: true',
      '    models:',
      '      default: { provider: script, model: demo }',
      'memory:',
      '  promoteAfter: 2',
    ].join('\n'),
  );
  return home;
}

const json = (home: string, args: string[]) => {
  const result = runCli(home, [...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
};

describe('pyclaw memory', () => {
  it('reflection proposes candidates; a rejected one stays away, a repeated one is promoted with its provenance', () => {
    const home = reflectingHome();
    expect(runCli(home, ['run', 'I use metric units, and I live in Oslo']).code).toBe(0);
    const proposed = json(home, ['memory', 'candidates']);
    expect(proposed.map((c: { text: string }) => c.text).sort()).toEqual([
      'The user lives in Oslo',
      'The user prefers metric units',
    ]);
    const oslo = proposed.find((c: { text: string }) => c.text.includes('Oslo'));
    expect(runCli(home, ['memory', 'reject', oslo.id]).stdout).toBe(
      `rejected ${oslo.id}; it will not be proposed again\n`,
    );

    expect(runCli(home, ['run', 'Convert 5 miles, please']).code).toBe(0);
    const all = json(home, ['memory', 'candidates', '--status', 'all']);
    expect(
      all.map((c: { text: string; status: string; proposals: number }) => [c.text, c.status, c.proposals]),
    ).toEqual(
      expect.arrayContaining([
        ['The user prefers metric units', 'promoted', 2],
        ['The user lives in Oslo', 'rejected', 1],
      ]),
    );
    const [memory] = json(home, ['memory', 'list']);
    expect(memory).toMatchObject({ kind: 'preference', scope: 'agent:default', promotedBy: 'evidence' });
    const shown = json(home, ['memory', 'show', memory.id]);
    expect(new Set(shown.provenance.map((p: { sessionId: string }) => p.sessionId)).size).toBe(2);
    const [first] = shown.provenance;
    const events = json(home, ['sessions', 'events', first.sessionId, '--type', 'memory.candidate']);
    expect(events.map((e: { id: string }) => e.id)).toContain(first.eventId);

    const hits = json(home, ['memory', 'search', 'which units does the user prefer?']);
    expect(hits.map((hit: { id: string }) => hit.id)).toEqual([memory.id]);
    expect(runCli(home, ['memory', 'list']).stdout).toMatch(
      /preference +agent:default +The user prefers metric units/,
    );
  });

  it('adds, lists, promotes and forgets by hand, and refuses bad input in one line', () => {
    const home = tempDir();
    const added = json(home, [
      'memory',
      'add',
      'Deploys go through Ansible',
      '--kind',
      'procedure',
      '--scope',
      'agent:ops',
    ]);
    expect(added).toMatchObject({
      kind: 'procedure',
      scope: 'agent:ops',
      text: 'Deploys go through Ansible',
    });
    expect(json(home, ['memory', 'list', '--scope', 'agent:ops']).map((m: { id: string }) => m.id)).toEqual([
      added.id,
    ]);
    expect(json(home, ['memory', 'list', '--scope', 'global'])).toEqual([]);

    const badKind = runCli(home, ['memory', 'add', 'x', '--kind', 'rumour']);
    expect([badKind.code, badKind.stderr]).toEqual([
      1,
      'pyclaw: memory kind "rumour" is not valid (kinds: fact, preference, lesson, procedure)\n',
    ]);
    const duplicate = runCli(home, [
      'memory',
      'add',
      'deploys go through ansible.',
      '--kind',
      'fact',
      '--scope',
      'agent:ops',
    ]);
    expect([duplicate.code, duplicate.stderr]).toEqual([
      1,
      'pyclaw: agent:ops already remembers "deploys go through ansible."\n',
    ]);
    const unknown = runCli(home, ['memory', 'promote', '01UNKNOWN']);
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      'pyclaw: no candidate "01UNKNOWN" (`pyclaw memory candidates` shows the ids)\n',
    ]);

    expect(runCli(home, ['memory', 'forget', added.id]).stdout).toBe(
      `forgot ${added.id}: Deploys go through Ansible\n`,
    );
    expect(json(home, ['memory', 'list'])).toEqual([]);
    expect(runCli(home, ['memory', 'list']).stdout).toBe('no memories yet\n');
  });

  describe('with an embedding model', () => {
    let emulator: Emulator;
    beforeEach(async () => {
      emulator = await startOpenAiEmulator();
    });
    afterEach(() => emulator.close());

    it('search finds a memory by meaning that shares no word with the query', async () => {
      const home = tempDir();
      writeFileSync(
        join(home, 'config.yaml'),
        [
          'providers:',
          '  oa:',
          '    kind: openai',
          `    baseURL: ${emulator.url}/v1`,
          'memory:',
          '  embeddings: { provider: oa, model: text-embedding-3-small, dimensions: 256 }',
        ].join('\n'),
      );
      for (const text of ['Enjoys oolong tea after lunch', 'Owns a hatchback']) {
        expect((await runCliAsync(home, ['memory', 'add', text, '--kind', 'fact'])).code).toBe(0);
      }
      const searched = await runCliAsync(home, [
        'memory',
        'search',
        'favourite beverage',
        '--limit',
        '1',
        '--json',
      ]);
      expect(searched.stderr).toBe('');
      expect(JSON.parse(searched.stdout)).toEqual([
        expect.objectContaining({ text: 'Enjoys oolong tea after lunch', matchedBy: ['meaning'] }),
      ]);
    });
  });
});
