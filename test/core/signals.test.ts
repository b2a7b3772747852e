import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const builtCore = pathToFileURL(resolve(import.meta.dirname, '../../dist/core/index.js')).href;

describe('anySignal', () => {
  it('still fires a timeout that only the combined signal refers to, across garbage collections', () => {
    // A child with --expose-gc: collect while the 50 ms timeout is pending, then see whether it fired.
    const script = `
      import { anySignal } from ${JSON.stringify(builtCore)};
      const signal = anySignal([new AbortController().signal, AbortSignal.timeout(50)]);
      for (let i = 0; i < 5; i++) { gc(); await new Promise((done) => setTimeout(done, 10)); }
      await new Promise((done) => setTimeout(done, 200));
      process.stdout.write(String(signal.aborted));
    `;
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('true');
  });
});
