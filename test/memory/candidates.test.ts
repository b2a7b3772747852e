import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PyclawError } from '../../src/core/index.js';
import {
  MemoryCandidates,
  type MemoryConfig,
  MemoryStore,
  memoryConfigSchema,
} from '../../src/memory/index.js';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

function setup(config: Partial<MemoryConfig> = {}) {
  const db = openDatabase(join(tempDir(), 'pyclaw.db'));
  const log = new EventLog(db);
  const store = new MemoryStore(db);
  const candidates = new MemoryCandidates(store, log, memoryConfigSchema.parse(config));
  const session = log.createSession({ agentId: 'default' }).id;
  const source = (turnId = 'turn-1') => ({
    sessionId: session,
    turnId,
    stepId: 'reflect',
    actor: 'agent:default',
    scope: 'agent:default',
  });
  return { db, log, store, candidates, session, source };
}

describe('memory candidates', () => {
  it('records each proposal as a memory.candidate event and keeps that event as provenance', () => {
    const { log, candidates, session, source } = setup();
    const outcome = candidates.propose(source(), [{ kind: 'fact', text: 'The user deploys with Ansible' }]);
    expect(outcome.recorded).toHaveLength(1);
    const [event] = log.read(session).filter((e) => e.type === 'memory.candidate');
    expect(event?.payload).toMatchObject({
      candidateId: outcome.recorded[0]?.id,
      kind: 'fact',
      text: 'The user deploys with Ansible',
      scope: 'agent:default',
    });
    expect(candidates.get(outcome.recorded[0]?.id as string).provenance).toEqual([
      { sessionId: session, seq: event?.seq, eventId: event?.id, turnId: 'turn-1' },
    ]);
    expect(candidates.list().map((c) => c.status)).toEqual(['pending']);
  });

  it('promotion by the user makes a memory that keeps the provenance and appends memory.promoted', async () => {
    const { log, store, candidates, session, source } = setup();
    const [candidate] = candidates.propose(source(), [
      { kind: 'preference', text: 'Answers in French' },
    ]).recorded;
    const memory = candidates.promote(candidate?.id.slice(0, 24) as string, { by: 'user:cli' });
    expect(memory).toMatchObject({ kind: 'preference', scope: 'agent:default', promotedBy: 'user:cli' });
    expect(store.get(memory.id).provenance).toHaveLength(1);
    expect(log.read(session).at(-1)).toMatchObject({
      type: 'memory.promoted',
      actor: 'user:cli',
      payload: { memoryId: memory.id, candidateId: candidate?.id, by: 'user:cli' },
    });
    expect((await store.search('french')).map((hit) => hit.id)).toEqual([memory.id]);
    expect(candidates.list()).toEqual([]);
    expect(() => candidates.promote(candidate?.id as string, { by: 'user:cli' })).toThrow(
      `candidate ${candidate?.id} is already memory ${memory.id}`,
    );
  });

  it('a rejected candidate is not proposed again, in any wording that normalises the same', () => {
    const { log, candidates, session, source } = setup();
    const [candidate] = candidates.propose(source(), [
      { kind: 'fact', text: 'The user likes Perl.' },
    ]).recorded;
    candidates.reject(candidate?.id as string, { by: 'user:cli' });
    const again = candidates.propose(source('turn-2'), [
      { kind: 'fact', text: '  the user LIKES perl ' },
      { kind: 'fact', text: 'The user likes Raku' },
      { kind: 'fact', text: ' . ' },
    ]);
    expect(again.skipped).toEqual([
      { text: 'the user LIKES perl', reason: 'rejected before' },
      { text: '.', reason: 'empty' },
    ]);
    expect(again.recorded.map((c) => c.text)).toEqual(['The user likes Raku']);
    const proposed = log.read(session).filter((e) => e.type === 'memory.candidate');
    expect(proposed.map((e) => (e.payload as { text: string }).text)).toEqual([
      'The user likes Perl.',
      'The user likes Raku',
    ]);
    expect(candidates.list({ status: 'rejected' }).map((c) => c.id)).toEqual([candidate?.id]);
  });

  it('the same candidate proposed promoteAfter times is promoted by evidence, with every proposal as provenance', () => {
    const { log, store, candidates, session, source } = setup({ promoteAfter: 3 });
    for (const turn of ['t1', 't2']) {
      const outcome = candidates.propose(source(turn), [{ kind: 'lesson', text: 'Check disk space first' }]);
      expect(outcome.promoted).toEqual([]);
    }
    const third = candidates.propose(source('t3'), [{ kind: 'lesson', text: 'check disk space first.' }]);
    expect(third.recorded[0]?.proposals).toBe(3);
    expect(third.promoted).toEqual([expect.objectContaining({ promotedBy: 'evidence', kind: 'lesson' })]);
    const memory = store.get(third.promoted[0]?.id as string);
    expect(memory.provenance.map((p) => p.turnId)).toEqual(['t1', 't2', 't3']);
    expect(log.read(session).at(-1)).toMatchObject({
      type: 'memory.promoted',
      turnId: 't3',
      payload: { by: 'evidence' },
    });
    // once remembered, it is not proposed again
    expect(
      candidates.propose(source('t4'), [{ kind: 'lesson', text: 'Check disk space first' }]).skipped,
    ).toEqual([{ text: 'Check disk space first', reason: 'already remembered' }]);
  });

  it('an autoPromote rule promotes matching candidates at once', () => {
    const { candidates, source } = setup({ autoPromote: [{ kind: 'preference' }, { pattern: '^always ' }] });
    const outcome = candidates.propose(source(), [
      { kind: 'preference', text: 'Prefers metric units' },
      { kind: 'procedure', text: 'Always tag releases before deploying' },
      { kind: 'fact', text: 'The build takes nine minutes' },
    ]);
    expect(outcome.promoted.map((m) => [m.text, m.promotedBy])).toEqual([
      ['Prefers metric units', 'rule'],
      ['Always tag releases before deploying', 'rule'],
    ]);
    expect(candidates.list().map((c) => c.text)).toEqual(['The build takes nine minutes']);
  });

  it('a forgotten memory is not proposed again', async () => {
    const { store, candidates, source } = setup();
    const [candidate] = candidates.propose(source(), [{ kind: 'fact', text: 'Works at Initech' }]).recorded;
    const memory = candidates.promote(candidate?.id as string, { by: 'user:cli' });
    await store.forget(memory.id, 'user:cli');
    expect(
      candidates.propose(source('t2'), [{ kind: 'fact', text: 'Works at Initech' }]).skipped,
    ).toHaveLength(1);
  });

  it('an unknown or ambiguous id is one clear error', () => {
    const { candidates } = setup();
    expect(() => candidates.reject('01NOPE', { by: 'user:cli' })).toThrow(PyclawError);
    expect(() => candidates.reject('01NOPE', { by: 'user:cli' })).toThrow('no candidate "01NOPE"');
  });
});
