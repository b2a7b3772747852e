import { describe, expect, it } from 'vitest';
import {
  createScriptedProvider,
  ModelRouter,
  type Provider,
  panelAndJudge,
  secondOpinion,
} from '../../src/llm/index.js';
import { agentModelsSchema } from '../../src/registry/index.js';
import { useEventLog } from './event-log-sink.js';

const openLog = useEventLog();
const question = { messages: [{ role: 'user' as const, content: 'Capital of Australia?' }] };

function routerOf(...providers: Provider[]) {
  const first = providers[0]?.id ?? '';
  return new ModelRouter({
    providers: new Map(providers.map((provider) => [provider.id, provider])),
    models: agentModelsSchema.parse({ default: { provider: first, model: 'm' } }),
  });
}

describe('panel-and-judge', () => {
  it('asks every panel model, shows the judge the candidates, and returns the pick with each vote', async () => {
    const a = createScriptedProvider('a', { responses: [{ text: 'Sydney' }] });
    const b = createScriptedProvider('b', {
      responses: [{ error: { kind: 'unavailable', message: 'down' } }],
    });
    const c = createScriptedProvider('c', { responses: [{ text: 'Canberra' }] });
    const judge = createScriptedProvider('judge', {
      responses: [
        { text: JSON.stringify({ choice: 2, answer: 'Canberra', reason: 'Canberra is the capital' }) },
      ],
    });
    const verdict = await panelAndJudge(routerOf(a, b, c, judge), question, {
      panel: [
        { provider: 'a', model: 'a-1' },
        { provider: 'b', model: 'b-1' },
        { provider: 'c', model: 'c-1' },
      ],
      judge: { provider: 'judge', model: 'j-1' },
    });
    expect(verdict.answer).toBe('Canberra');
    expect(verdict.picked).toBe(2);
    expect(verdict.reason).toBe('Canberra is the capital');
    expect(verdict.votes.map((vote) => (vote.ok ? vote.response.text : `failed: ${vote.error}`))).toEqual([
      'Sydney',
      'failed: b: down',
      'Canberra',
    ]);
    const judgeRequest = judge.requests[0];
    expect(judgeRequest?.output?.name).toBe('verdict');
    const prompt = judgeRequest?.messages.at(-1)?.content ?? '';
    expect(prompt).toContain('Capital of Australia?');
    expect(prompt).toContain('Candidate 1:\n<<<\nSydney\n>>>');
    expect(prompt).toContain('Candidate 2:\n<<<\nCanberra\n>>>');
  });

  it('returns a merged answer when the judge merges', async () => {
    const a = createScriptedProvider('a', { responses: [{ text: 'Canberra' }] });
    const b = createScriptedProvider('b', { responses: [{ text: 'It is in the ACT' }] });
    const judge = createScriptedProvider('judge', {
      responses: [
        { text: JSON.stringify({ choice: 0, answer: 'Canberra, in the ACT', reason: 'both help' }) },
      ],
    });
    const verdict = await panelAndJudge(routerOf(a, b, judge), question, {
      panel: [
        { provider: 'a', model: 'a-1' },
        { provider: 'b', model: 'b-1' },
      ],
      judge: { provider: 'judge', model: 'j-1' },
    });
    expect(verdict).toMatchObject({ answer: 'Canberra, in the ACT', picked: undefined });
  });

  it('records every vote and the verdict as sub-steps of the turn', async () => {
    const { log, sessionId } = openLog();
    const a = createScriptedProvider('a', { responses: [{ text: 'Canberra' }] });
    const b = createScriptedProvider('b', { responses: [{ text: 'Canberra.' }] });
    const judge = createScriptedProvider('judge', {
      responses: [{ text: JSON.stringify({ choice: 1, answer: 'Canberra', reason: 'same' }) }],
    });
    const router = new ModelRouter({
      providers: new Map([a, b, judge].map((provider) => [provider.id, provider])),
      models: agentModelsSchema.parse({ default: { provider: 'a', model: 'a-1' } }),
      sink: log,
    });
    await panelAndJudge(
      router,
      question,
      {
        panel: [
          { provider: 'a', model: 'a-1' },
          { provider: 'b', model: 'b-1' },
        ],
        judge: { provider: 'judge', model: 'j-1' },
      },
      { step: { sessionId, turnId: 't', stepId: 'answer' } },
    );
    const responded = log.byTurn(sessionId, 't').filter((event) => event.type === 'llm.responded');
    expect(responded.map((event) => event.stepId).sort()).toEqual([
      'answer.judge',
      'answer.panel.0',
      'answer.panel.1',
    ]);
  });

  it('skips the judge when only one panel member answered, and fails when none did', async () => {
    const a = createScriptedProvider('a', {
      responses: [{ text: 'Canberra' }, { error: { kind: 'timeout', message: 'slow' } }],
    });
    const b = createScriptedProvider('b', {
      responses: [
        { error: { kind: 'auth', message: 'no key' } },
        { error: { kind: 'auth', message: 'no key' } },
      ],
    });
    const judge = createScriptedProvider('judge');
    const plan = {
      panel: [
        { provider: 'a', model: 'a-1' },
        { provider: 'b', model: 'b-1' },
      ],
      judge: { provider: 'judge', model: 'j-1' },
    };
    const router = routerOf(a, b, judge);
    expect(await panelAndJudge(router, question, plan)).toMatchObject({
      answer: 'Canberra',
      picked: 0,
      judge: undefined,
    });
    await expect(panelAndJudge(router, question, plan)).rejects.toThrow(
      /no panel member answered: a: slow; b: no key/,
    );
    expect(judge.requests).toHaveLength(0);
  });
});

describe('second opinion', () => {
  it('has a second model review the first answer and uses its revision when it disagrees', async () => {
    const first = createScriptedProvider('first', { responses: [{ text: 'Sydney' }] });
    const second = createScriptedProvider('second', {
      responses: [
        {
          text: JSON.stringify({
            agrees: false,
            critique: 'Sydney is not the capital',
            revisedAnswer: 'Canberra',
          }),
        },
      ],
    });
    const opinion = await secondOpinion(routerOf(first, second), question, {
      first: { provider: 'first', model: 'f' },
      second: { provider: 'second', model: 's' },
    });
    expect(opinion.answer).toBe('Canberra');
    expect(opinion.first.text).toBe('Sydney');
    expect(opinion.review).toEqual({
      agrees: false,
      critique: 'Sydney is not the capital',
      revisedAnswer: 'Canberra',
    });
    expect(second.requests[0]?.messages.at(-1)?.content).toContain('<<<\nSydney\n>>>');
  });

  it('keeps the first answer when the reviewer agrees', async () => {
    const first = createScriptedProvider('first', { responses: [{ text: 'Canberra' }] });
    const second = createScriptedProvider('second', {
      responses: [{ text: JSON.stringify({ agrees: true, critique: '', revisedAnswer: '' }) }],
    });
    const opinion = await secondOpinion(routerOf(first, second), question, {
      first: { provider: 'first', model: 'f' },
      second: { provider: 'second', model: 's' },
    });
    expect(opinion.answer).toBe('Canberra');
  });
});
