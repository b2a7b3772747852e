import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSecret } from '../../../src/secret/index.js';
import { EventLog } from '../../../src/session/index.js';
import { openDatabase } from '../../../src/storage/index.js';
import { runCli, runCliAsync } from '../../helpers/cli.js';
import { type Sshd, startSshd } from '../../helpers/sshd.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs();
let sshd: Sshd;
beforeAll(async () => {
  sshd = await startSshd();
  writeFileSync(join(sshd.dir, 'known_hosts'), `${sshd.knownHostsLine}\n`);
});
afterAll(() => sshd?.stop());

/** A home whose default agent's scripted model calls ssh.exec once with `command`, then answers. */
function sshAgentHome(command: string, rules: object[]): string {
  const home = tempDir();
  expect(runCli(home, ['init']).code).toBe(0);
  const config = {
    providers: {
      script: {
        kind: 'scripted',
        responses: [
          { toolCalls: [{ name: 'ssh.exec', arguments: { host: 'box', command } }] },
          { text: 'done' },
        ],
      },
    },
    agents: { default: { models: { default: { provider: 'script', model: 'scripted' } }, tools: ['ssh.*'] } },
    policy: { rules },
    ssh: {
      hosts: {
        box: {
          host: sshd.host,
          port: sshd.port,
          user: sshd.user,
          key: 'secret:box_key',
          knownHostsFile: join(sshd.dir, 'known_hosts'),
        },
      },
    },
  };
  writeFileSync(join(home, 'config.yaml'), JSON.stringify(config, null, 2));
  setSecret(join(home, 'secrets'), 'box_key', Buffer.from(sshd.clientKey).toString('base64'));
  return home;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function toolResults(home: string, sessionId: string) {
  const db = openDatabase(join(home, 'pyclaw.db'));
  try {
    return new EventLog(db).read(sessionId).filter((event) => event.type === 'tool.result');
  } finally {
    db.close();
  }
}

describe('ssh.exec in a turn of the built CLI', () => {
  it('connects with a key from the secrets file that never reaches events, artifacts or logs', async () => {
    const printsTheKey = `cat ${join(sshd.dir, 'client_key')}; head -c 6000 /dev/zero | tr '\\0' y`;
    const home = sshAgentHome(printsTheKey, [{ tool: 'ssh.exec', decision: 'allow' }]);
    const result = await runCliAsync(home, ['run', 'show me the key', '--json']);
    expect(result.stderr).toBe('');
    const output = JSON.parse(result.stdout);
    expect(output.outcome).toMatchObject({ status: 'completed', answer: 'done' });

    const [toolResult] = toolResults(home, output.sessionId);
    expect(toolResult?.payload).toMatchObject({ isError: false });
    expect(JSON.stringify(toolResult?.payload)).toContain('[REDACTED:secret:box_key]');

    const keyBody = sshd.clientKey.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
    const stored = Buffer.from(sshd.clientKey).toString('base64');
    const scanned = filesUnder(home).filter((path) => path !== join(home, 'secrets'));
    expect(scanned.some((path) => path.includes(join('artifacts', 'sha256')))).toBe(true);
    for (const path of scanned) {
      const text = readFileSync(path, 'latin1');
      for (const line of keyBody) expect(text.includes(line), `${path} holds a line of the key`).toBe(false);
      expect(text.includes(stored), `${path} holds the stored key`).toBe(false);
    }
  });

  it('asks before running a command when no rule allows ssh.exec', async () => {
    const marker = join(sshd.dir, 'ran-without-approval');
    const home = sshAgentHome(`touch ${marker}`, []);
    const result = await runCliAsync(home, ['run', 'touch it', '--json']);
    const output = JSON.parse(result.stdout);
    expect(output.outcome).toMatchObject({ status: 'waiting' });
    const approvals = runCli(home, ['approvals', 'list', '--json']);
    expect(JSON.parse(approvals.stdout)).toMatchObject([{ tool: 'ssh.exec' }]);
    expect(existsSync(marker)).toBe(false);
  });
});
