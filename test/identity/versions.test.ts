import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  capsuleText,
  identityCapsuleSchema,
  identityHistory,
  recordIdentity,
} from '../../src/identity/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const capsule = identityCapsuleSchema.parse({
  role: 'a release engineer',
  constraints: ['never push to main'],
});

function withDb<T>(path: string, work: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(path);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

describe('identity capsule', () => {
  it('fills in defaults and rejects unknown keys and postures', () => {
    expect(identityCapsuleSchema.parse({})).toMatchObject({ constraints: [], riskPosture: 'cautious' });
    expect(identityCapsuleSchema.safeParse({ mood: 'happy' }).success).toBe(false);
    expect(identityCapsuleSchema.safeParse({ riskPosture: 'reckless' }).success).toBe(false);
  });

  it('renders as the identity section of a system prompt', () => {
    const text = capsuleText(capsule);
    expect(text).toContain('You are a release engineer.');
    expect(text).toContain('Risk posture: cautious');
    expect(text).toContain('- never push to main');
    expect(capsuleText(identityCapsuleSchema.parse({}))).not.toContain('Constraints:');
  });
});

describe('identity versions', () => {
  it('keeps the version for the same capsule, and records a new one when it changes, across reopens', () => {
    const path = join(tempDir(), 'pyclaw.db');
    const first = withDb(path, (db) => recordIdentity(db, 'ops', capsule, 1_000));
    expect(first).toMatchObject({ version: 1, changed: true });
    // the same capsule with its keys in another order is the same identity
    const reordered = Object.fromEntries(Object.entries(capsule).reverse()) as typeof capsule;
    expect(withDb(path, (db) => recordIdentity(db, 'ops', reordered, 2_000))).toEqual({
      version: 1,
      hash: first.hash,
      changed: false,
    });
    const bolder = { ...capsule, riskPosture: 'bold' as const };
    const second = withDb(path, (db) => recordIdentity(db, 'ops', bolder, 3_000));
    expect(second).toMatchObject({ version: 2, changed: true });
    expect(second.hash).not.toBe(first.hash);
    // going back to an earlier capsule is a change too: the history shows every switch
    expect(withDb(path, (db) => recordIdentity(db, 'ops', capsule, 4_000))).toMatchObject({ version: 3 });

    const history = withDb(path, (db) => identityHistory(db, 'ops'));
    expect(history.map((v) => [v.version, v.capsule.riskPosture, v.createdAt])).toEqual([
      [1, 'cautious', 1_000],
      [2, 'bold', 3_000],
      [3, 'cautious', 4_000],
    ]);
    expect(withDb(path, (db) => identityHistory(db, 'someone-else'))).toEqual([]);
  });
});
