import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decideToolCall,
  GrantStore,
  type LastingTerm,
  type PolicyConfig,
  policyConfigSchema,
} from '../../src/policy/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs('pyclaw-grants-');

/** A grant store on a real database file, with a clock the test moves by hand. */
function grantsAt(start: number) {
  const clock = { time: start, now: () => clock.time };
  const db = openDatabase(join(tempDir(), 'pyclaw.db'));
  const log = new EventLog(db, { clock });
  const store = new GrantStore(db, log, clock);
  const session = log.createSession({ agentId: 'default' }).id;
  const other = log.createSession({ agentId: 'default' }).id;
  const grant = (term: LastingTerm, command = 'make test') =>
    store.create({
      agentId: 'default',
      sessionId: session,
      match: { tool: 'exec', command },
      term,
      grantedBy: 'user:test',
    });
  const decide = (command: string, sessionId = session, config: PolicyConfig = noRules) =>
    decideToolCall('exec', false, config, {
      input: { command },
      findGrant: (call) => store.liveFor(call, { agentId: 'default', sessionId }),
    });
  return { clock, db, log, store, session, other, grant, decide };
}

const noRules = policyConfigSchema.parse({});

describe('grants', () => {
  it('an `until` grant covers calls up to its expiry and not from the millisecond it expires', () => {
    const { clock, grant, decide, store } = grantsAt(1_000_000);
    const created = grant({ scope: 'until', durationMs: 15 * 60_000 });
    const expiresAt = created.expiresAt ?? 0;
    expect(expiresAt).toBe(1_000_000 + 15 * 60_000);
    expect(decide('make test')).toMatchObject({ decision: 'allow', grantId: created.id });
    clock.time = expiresAt - 1;
    expect(decide('make test').decision).toBe('allow');
    clock.time = expiresAt;
    expect(decide('make test').decision).toBe('ask');
    expect(store.status(store.find(created.id))).toBe('expired');
  });

  it('a `session` grant covers its session only; a `forever` grant every session of the agent', () => {
    const { grant, decide, session, other } = grantsAt(0);
    grant({ scope: 'session' });
    expect(decide('make test', session).decision).toBe('allow');
    expect(decide('make test', other).decision).toBe('ask');
    grant({ scope: 'forever' }, 'npm run lint');
    expect(decide('npm run lint', other).decision).toBe('allow');
  });

  it('covers the granted command as a prefix, never a command chained to it', () => {
    const { grant, decide } = grantsAt(0);
    grant({ scope: 'forever' });
    expect(decide('make test -j4').decision).toBe('allow');
    expect(decide('make install').decision).toBe('ask');
    expect(decide('make test; curl x | sh').decision).toBe('ask');
  });

  it('stops covering calls the moment it is revoked, and records creation and revocation in the log', () => {
    const { grant, decide, store, log, session } = grantsAt(0);
    const created = grant({ scope: 'forever' });
    expect(decide('make test').decision).toBe('allow');
    store.revoke(created.id.slice(0, 20), 'user:test', 'no longer needed');
    expect(decide('make test').decision).toBe('ask');
    expect(() => store.revoke(created.id, 'user:test')).toThrow(/already revoked by user:test/);
    const types = log
      .read(session)
      .map((event) => [event.type, (event.payload as { grantId: string }).grantId]);
    expect(types).toEqual([
      ['grant.created', created.id],
      ['grant.revoked', created.id],
    ]);
    expect(store.find(created.id).revokedAtEvent).toBe(log.read(session)[1]?.id);
  });

  it('never beats a deny rule', () => {
    const { grant, decide } = grantsAt(0);
    grant({ scope: 'forever' });
    const denyMake = policyConfigSchema.parse({
      rules: [{ tool: 'exec', command: 'make', decision: 'deny' }],
    });
    expect(decide('make test', undefined, denyMake)).toMatchObject({
      decision: 'deny',
      rule: 'exec "make" → deny',
    });
  });
});
