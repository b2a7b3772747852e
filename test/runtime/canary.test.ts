import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/runtime/index.js';
import { setSecret } from '../../src/secret/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('canary secrets', () => {
  it('never reach any file under PYCLAW_HOME through events, artifacts or logs', async () => {
    const home = tempDir();
    const envCanary = 'canary-env-9d41b7e2c08f';
    const fileCanary = 'canary-file-5a2e77f1b3d6';
    setSecret(join(home, 'secrets'), 'deploy_token', fileCanary);
    const app = await openApp({ env: { PYCLAW_HOME: home, DEPLOY_API_KEY: envCanary } });
    expect(app.secrets.resolveString('token=secret:deploy_token')).toBe(`token=${fileCanary}`);

    const session = app.log.createSession({ title: `debugging ${envCanary}` }).id;
    app.log.append(session, {
      type: 'user.message',
      actor: 'user',
      payload: { text: `my key is ${envCanary}` },
    });
    app.log.appendBatch(session, [
      {
        type: 'tool.requested',
        actor: 'agent',
        payload: { callId: 'c1', tool: 'exec', input: { env: { [envCanary]: fileCanary } } },
      },
      {
        type: 'tool.result',
        actor: 'tool',
        payload: { callId: 'c1', isError: true, preview: `denied for ${fileCanary}` },
      },
      { type: 'turn.failed', actor: 'runtime', payload: { error: `auth failed with Bearer ${envCanary}` } },
    ]);
    await app.artifacts.put(`stdout: export DEPLOY_API_KEY=${envCanary}\n`);
    const text = Buffer.from(`${'x'.repeat(70_000)}${fileCanary}${'y'.repeat(10)}${envCanary}`);
    const splitEverywhere = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) =>
      text.subarray(i * 7, i * 7 + 7),
    );
    await app.artifacts.put(Readable.from(splitEverywhere));
    app.logger.info({ token: envCanary, nested: { value: fileCanary } }, `calling API with ${envCanary}`);
    app.logger.error(new Error(`request failed: ${fileCanary}`));
    await app.close();

    const scanned = filesUnder(home).filter((path) => path !== join(home, 'secrets'));
    expect(scanned.some((path) => path.endsWith('pyclaw.db-wal') || path.endsWith('pyclaw.db'))).toBe(true);
    expect(scanned.some((path) => path.endsWith('pyclaw.log'))).toBe(true);
    expect(scanned.filter((path) => path.includes(`${join('artifacts', 'sha256')}`))).toHaveLength(2);
    for (const path of scanned) {
      const bytes = readFileSync(path);
      expect(bytes.includes(envCanary), `${path} holds the environment canary`).toBe(false);
      expect(bytes.includes(fileCanary), `${path} holds the secrets-file canary`).toBe(false);
    }
    expect(readFileSync(join(home, 'logs', 'pyclaw.log'), 'utf8')).toContain('[REDACTED');
  });
});
