import { describe, expect, it } from 'vitest';
import { httpLoad } from '../../bench/http-load.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

describe('the HTTP API under load', () => {
  it('runs 50 concurrent sessions to completion with no event lost, repeated or out of order', async () => {
    const report = await httpLoad(tempDir(), { sessions: 50, turnsPerSession: 2 });
    expect(report.problems).toEqual([]);
    expect(report.results.find((r) => r.name.endsWith('lost or repeated events'))?.value).toBe(0);
  }, 120_000);
});
