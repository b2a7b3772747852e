import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import type { Emulator } from '../emulators/http-emulator.js';
import { completion, startOpenAiEmulator } from '../emulators/openai.js';
import { runCli, runCliAsync } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { simpleSkill, writeSkill } from '../skill/skill-fixture.js';

const tempDir = useTempDirs();

const backupBody = `# Back up postgres
Dump first, then copy.

## Steps
1. pg_dump --format=custom.

## Restore drill
Restore into a scratch database monthly.
`;

describe('pyclaw skills through the built CLI', () => {
  it('adds a skill folder to PYCLAW_HOME, lists it beside the workspace’s, and shows it', () => {
    const home = tempDir();
    const source = tempDir();
    const workspace = tempDir();
    writeSkill(
      source,
      'backup-postgres',
      'name: backup-postgres\ndescription: Back up a PostgreSQL database.\nversion: "1.2"\ntags: [db, backup]',
      backupBody,
    );
    simpleSkill(join(workspace, 'skills'), 'write-tests', 'Write unit tests for this project.');

    const added = runCli(home, ['skills', 'add', join(source, 'backup-postgres')]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /✓ added skill "backup-postgres" \([0-9a-f]{12}\) to .*backup-postgres\/SKILL\.md/,
    );
    expect(existsSync(join(home, 'skills', 'backup-postgres', 'SKILL.md'))).toBe(true);

    const listed = runCli(home, ['skills', 'list', '--json'], {}, workspace);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        name: 'backup-postgres',
        declaredVersion: '1.2',
        tags: ['db', 'backup'],
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
      expect.objectContaining({
        name: 'write-tests',
        file: join(workspace, 'skills', 'write-tests', 'SKILL.md'),
      }),
    ]);
    const table = runCli(home, ['skills', 'list'], {}, workspace).stdout;
    expect(table).toMatch(/^SKILL\s+VERSION\s+HASH\s+TAGS\s+DESCRIPTION/);
    expect(table).toMatch(
      /backup-postgres\s+1\.2\s+[0-9a-f]{12}\s+db, backup\s+Back up a PostgreSQL database\./,
    );

    const shown = runCli(home, ['skills', 'show', 'backup-postgres']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('## Restore drill');
    expect(shown.stdout).toMatch(/hash\s+[0-9a-f]{64}/);
    expect(runCli(home, ['skills', 'show', 'nope']).stderr).toBe(
      'pyclaw: no skill named "nope" (see `pyclaw skills list`)\n',
    );
  });

  it('refuses a skill with bad front matter in one line naming the file and field, copying nothing', () => {
    const home = tempDir();
    const source = tempDir();
    const file = writeSkill(source, 'deploy', 'name: deploy\ntags: [prod]');
    const result = runCli(home, ['skills', 'add', join(source, 'deploy')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^pyclaw: ${file}: description: is required[^\\n]*\\n$`));
    expect(existsSync(join(home, 'skills', 'deploy'))).toBe(false);
  });

  it('keeps an installed skill unless --replace is given', () => {
    const home = tempDir();
    const source = tempDir();
    simpleSkill(source, 'deploy', 'Deploy v1.');
    expect(runCli(home, ['skills', 'add', join(source, 'deploy', 'SKILL.md')]).code).toBe(0);
    simpleSkill(source, 'deploy', 'Deploy v2.');
    const again = runCli(home, ['skills', 'add', join(source, 'deploy')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^pyclaw: a skill named "deploy" is already installed at .* \(pass --replace/,
    );
    expect(runCli(home, ['skills', 'add', join(source, 'deploy'), '--replace']).code).toBe(0);
    expect(JSON.parse(runCli(home, ['skills', 'list', '--json']).stdout)[0].description).toBe('Deploy v2.');
  });
});

describe('skills in a turn', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startOpenAiEmulator();
  });
  afterEach(() => emulator.close());

  it('selects the skills that match the input, records skill.selected, and shows the model the best one', async () => {
    const home = tempDir();
    const workspace = tempDir();
    expect(runCli(home, ['init']).code).toBe(0);
    writeFileSync(
      join(home, 'config.yaml'),
      `providers:
  emu: { kind: openai, baseURL: "${emulator.url}/v1", maxAttempts: 1 }
agents:
  default:
    models:
      default: { provider: emu, model: gpt-test }
`,
    );
    const skills = join(workspace, 'skills');
    writeSkill(
      skills,
      'backup-postgres',
      'name: backup-postgres\ndescription: Back up a PostgreSQL database.',
      backupBody,
    );
    simpleSkill(skills, 'restore-postgres', 'Restore a PostgreSQL database from a dump.');
    simpleSkill(skills, 'write-tests', 'Write unit tests.');
    mkdirSync(join(home, 'skills'), { recursive: true });
    emulator.reply(completion({ text: 'Run pg_dump --format=custom.' }));

    const result = await runCliAsync(
      home,
      ['run', 'How do I back up my postgres database?', '--json'],
      {},
      workspace,
    );
    expect(result.code).toBe(0);
    const { sessionId } = JSON.parse(result.stdout);

    const db = openDatabase(join(home, 'pyclaw.db'));
    const selected = new EventLog(db).byType(sessionId, ['skill.selected']).map((event) => event.payload);
    db.close();
    const listed = JSON.parse(runCli(home, ['skills', 'list', '--json'], {}, workspace).stdout) as {
      name: string;
      hash: string;
    }[];
    const hashOf = (name: string) => listed.find((skill) => skill.name === name)?.hash;
    expect(selected).toEqual([
      expect.objectContaining({
        skill: 'backup-postgres',
        version: hashOf('backup-postgres'),
        rank: 1,
        excerpt: true,
      }),
      expect.objectContaining({
        skill: 'restore-postgres',
        version: hashOf('restore-postgres'),
        rank: 2,
        excerpt: false,
      }),
    ]);

    const request = emulator.requests[0]?.body as { messages: { role: string; content: string }[] };
    const system = request.messages[0]?.content ?? '';
    expect(system).toContain('- backup-postgres: Back up a PostgreSQL database.');
    expect(system).toContain('- restore-postgres: Restore a PostgreSQL database from a dump.');
    expect(system).toContain('## Restore drill');
    expect(system).not.toContain('write-tests');
  });
});
