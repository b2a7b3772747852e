import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor, type Redactor, SecretResolver, setSecret } from '../../src/secret/index.js';
import { childEnv, execConfigSchema, execTool } from '../../src/tools/index.js';
import { useToolWorkspace } from './workspace-fixture.js';

const openWorkspace = useToolWorkspace();

/** A workspace whose host has `exec`, configured as config.yaml's `tools: exec:` would. */
function openExec(
  options: { config?: Record<string, unknown>; env?: NodeJS.ProcessEnv; redactor?: Redactor } = {},
) {
  const config = execConfigSchema.parse(options.config ?? {});
  const env = options.env ?? { PATH: process.env.PATH };
  const resolver = { current: undefined as SecretResolver | undefined };
  const tool = execTool({
    config,
    env: () => childEnv(env, config.env, (text) => resolver.current?.resolveString(text) ?? text),
  });
  const opened = openWorkspace({ extraTools: [tool], redactor: options.redactor });
  resolver.current = new SecretResolver({
    env,
    redactor: createRedactor(),
    secretsFile: join(opened.home, 'secrets'),
  });
  return opened;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0; it has stopped running all the same.
  const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
  return state !== 'Z';
}

describe('exec', () => {
  it('runs a command in the workspace and reports exit code, stdout and stderr', async () => {
    const { run, workspace } = openExec();
    mkdirSync(join(workspace, 'sub'));
    expect(await run('exec', { command: 'pwd; echo oops >&2' })).toEqual({
      isError: false,
      preview: `exit code 0\nstdout:\n${workspace}\n\nstderr:\noops\n`,
      artifacts: [],
    });
    expect((await run('exec', { command: 'pwd', cwd: 'sub' })).preview).toContain(join(workspace, 'sub'));
    expect(await run('exec', { command: 'exit 3' })).toEqual({
      isError: true,
      preview: 'exit code 3',
      artifacts: [],
    });
    await run('exec', { command: 'echo made > made.txt' });
    expect(readFileSync(join(workspace, 'made.txt'), 'utf8')).toBe('made\n');
  });

  it('refuses a working directory outside the workspace, by .. or through a symlink', async () => {
    const { run, workspace, outside } = openExec();
    symlinkSync(outside, join(workspace, 'link'));
    for (const cwd of ['..', '../outside', 'link', outside]) {
      const result = await run('exec', { command: 'touch escaped', cwd });
      expect(result).toMatchObject({
        isError: true,
        preview: expect.stringContaining('outside the workspace'),
      });
    }
    expect(existsSync(join(outside, 'escaped'))).toBe(false);
  });

  it('gives the command a minimal environment plus only the variables config names', async () => {
    const { run } = openExec({
      env: { PATH: process.env.PATH, HOME: '/home/someone', API_TOKEN: 'canary-unlisted', NAMED: 'passed' },
      config: { env: ['NAMED', 'LITERAL=plain text'] },
    });
    const lines = (await run('exec', { command: 'env' })).preview.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining(['NAMED=passed', 'LITERAL=plain text', 'HOME=/home/someone']),
    );
    expect(lines.join('\n')).not.toContain('canary-unlisted');
  });

  it('fails the call, naming the variable, when a configured one is missing', async () => {
    const { run, workspace } = openExec({ config: { env: ['MISSING'] } });
    expect(await run('exec', { command: 'touch ran' })).toEqual({
      isError: true,
      preview: `\${env:MISSING}: MISSING is not set in the environment`,
      artifacts: [],
    });
    expect(existsSync(join(workspace, 'ran'))).toBe(false);
  });

  it('resolves secret:NAME entries through the secrets file', async () => {
    const { run, home } = openExec({ config: { env: ['DEPLOY=secret:deploy_token'] } });
    setSecret(join(home, 'secrets'), 'deploy_token', 'from-the-secrets-file');
    expect((await run('exec', { command: 'echo "$DEPLOY"' })).preview).toBe(
      'exit code 0\nstdout:\nfrom-the-secrets-file\n',
    );
  });

  it('stops the command and everything it started at the timeout', async () => {
    const { run, workspace } = openExec();
    const result = await run('exec', { command: 'sleep 30 & echo $! > bg.pid; sleep 30', timeout_ms: 300 });
    expect(result).toEqual({
      isError: true,
      preview: 'stopped after the 300 ms timeout, with everything it started',
      artifacts: [],
    });
    const background = Number(readFileSync(join(workspace, 'bg.pid'), 'utf8'));
    await expect.poll(() => isAlive(background)).toBe(false);
  });

  it('ends what the command left running in the background when it exits', async () => {
    const { run, workspace } = openExec();
    const result = await run('exec', { command: 'sleep 30 >/dev/null 2>&1 & echo $! > bg.pid' });
    expect(result.preview).toBe('exit code 0');
    const background = Number(readFileSync(join(workspace, 'bg.pid'), 'utf8'));
    await expect.poll(() => isAlive(background)).toBe(false);
  });

  it('stops the whole process group when the call is aborted', async () => {
    const { run, workspace } = openExec();
    const abort = new AbortController();
    const running = run('exec', { command: 'echo $$ > sh.pid; sleep 30 & sleep 30' }, abort.signal);
    await expect
      .poll(
        () =>
          existsSync(join(workspace, 'sh.pid')) &&
          readFileSync(join(workspace, 'sh.pid'), 'utf8').endsWith('\n'),
      )
      .toBe(true);
    abort.abort();
    expect(await running).toMatchObject({
      isError: true,
      preview: 'cancelled: stopped with everything it started',
    });
    const group = Number(readFileSync(join(workspace, 'sh.pid'), 'utf8'));
    await expect.poll(() => isAlive(group)).toBe(false);
  });

  it('stores large output as an artifact and caps what it keeps', async () => {
    const { run, store } = openExec({ config: { maxOutputBytes: 50_000 } });
    const big = await run('exec', { command: "head -c 20000 /dev/zero | tr '\\0' a; echo end >&2" });
    expect(big.isError).toBe(false);
    expect(big.artifacts).toHaveLength(1);
    const ref = big.artifacts[0] as string;
    expect(big.preview).toContain(`[full output: ${ref}, 20000 bytes]`);
    expect(big.preview).toMatch(/stderr:\nend\n$/);
    expect((await store.getBytes(ref)).toString()).toBe('a'.repeat(20_000));

    const capped = await run('exec', { command: "head -c 200000 /dev/zero | tr '\\0' b" });
    expect(capped.preview).toMatch(/^exit code 0\nstdout \(first 50000 of 200000 bytes kept\):\nbbb/);
    expect((await store.getBytes(capped.artifacts[0] as string)).length).toBe(50_000);
  });

  it('rejects a timeout above the configured maximum', async () => {
    const { run } = openExec({ config: { maxTimeoutMs: 1000 } });
    expect(await run('exec', { command: 'true', timeout_ms: 5000 })).toMatchObject({
      isError: true,
      preview: expect.stringContaining('invalid input for exec: timeout_ms'),
    });
  });

  it('redacts known secrets before cutting output into a preview, so no part of one shows', async () => {
    const canary = 'canary-7f3e9a1c5b2d8e4f';
    const redactor = createRedactor();
    redactor.register(canary, 'deploy_token');
    const { run, workspace, store } = openExec({ redactor });
    // The head of the preview ends inside the canary: cut first, its prefix would be left in plain sight.
    const before = 'x'.repeat(830);
    writeFileSync(join(workspace, 'out.txt'), `${before}${canary}${'y'.repeat(4000)}`);
    const result = await run('exec', { command: 'cat out.txt' });
    expect(result.preview).not.toContain(canary.slice(0, 10));
    expect(result.preview).toContain(`${before}[REDACTED:`);
    const stored = (await store.getBytes(result.artifacts[0] as string)).toString();
    expect(stored).not.toContain(canary);
  });
});
