import { decodeTime } from 'ulid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../src/core/index.js';

const ulidShape = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function expectStrictlyIncreasing(ids: string[]): void {
  const firstBad = ids.findIndex((id, i) => i > 0 && !(id > (ids[i - 1] as string)));
  expect(firstBad).toBe(-1);
}

describe('newId', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('makes ULIDs whose time part is now, strictly increasing and unique', () => {
    const before = Date.now();
    const ids = Array.from({ length: 50_000 }, () => newId());
    expect(ids.every((id) => ulidShape.test(id))).toBe(true);
    expect(decodeTime(ids[0] as string)).toBeGreaterThanOrEqual(before);
    expect(decodeTime(ids.at(-1) as string)).toBeLessThanOrEqual(Date.now());
    expectStrictlyIncreasing(ids);
  });

  it('keeps counting up within one millisecond, carrying past the last four digits', () => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    const ids = Array.from({ length: 32 ** 4 + 10 }, () => newId());
    expect(new Set(ids.map((id) => id.slice(0, 10))).size).toBe(1);
    expect(new Set(ids.map((id) => id.slice(10, 22))).size).toBe(2);
    expectStrictlyIncreasing(ids);
  });

  it('stays monotonic while the clock runs backwards', () => {
    const now = Date.now() + 120_000;
    vi.spyOn(Date, 'now').mockReturnValue(now);
    const first = newId();
    vi.spyOn(Date, 'now').mockReturnValue(now - 5_000);
    expect(newId() > first).toBe(true);
  });
});
