import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { turnConversation } from '../../src/brain/index.js';
import { openApp, runInSession } from '../../src/runtime/index.js';
import { startCortensorEmulator } from '../emulators/cortensor.js';
import { completion, startOpenAiEmulator } from '../emulators/openai.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const verdict = (pass: boolean, reason: string) =>
  completion({ text: JSON.stringify({ verdict: pass ? 'pass' : 'fail', reason }) });

describe('the verify phase with a panel of judges and Cortensor validate', () => {
  it('sends a wrong answer back with the judges’ reasons, and the revised one passes', async () => {
    const judge = await startOpenAiEmulator();
    const router = await startCortensorEmulator();
    closers.push(judge.close, router.close);
    judge.reply(verdict(false, 'incorrect: Paris is in France'), verdict(true, 'correct'));
    router.reply(
      'validate',
      { kind: 'json', body: { verdict: 'INVALID', reasons: ['Paris is the capital of France'], score: 0.1 } },
      { kind: 'json', body: { verdict: 'VALID', reasons: [], score: 0.97 } },
    );
    const home = tempDir();
    writeFileSync(
      join(home, 'config.yaml'),
      `providers:
  script:
    kind: scripted
    responses: [{ text: "Paris is in Germany." }, { text: "Paris is in France." }]
  judge:
    kind: openai
    baseURL: ${judge.url}/v1
    apiKey: judge-key
    maxAttempts: 1
  router:
    kind: cortensor
    baseUrl: ${router.url}
    apiKey: ${router.token}
    sessionId: 7
    maxAttempts: 1
agents:
  default:
    models:
      default: { provider: script, model: demo }
    verify: true
    verification:
      judges: [{ provider: judge, model: judge-1 }]
      cortensor: { provider: router, method: validate }
`,
    );
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    const { sessionId, outcome } = await runInSession(app, { message: 'Where is Paris?' });
    expect(outcome).toMatchObject({ status: 'completed', answer: 'Paris is in France.' });

    const verdicts = app.log.read(sessionId).filter((event) => event.type === 'verify.verdict');
    expect(verdicts.map((event) => event.payload)).toEqual([
      { verdict: 'fail', judge: 'judge/judge-1', reason: 'incorrect: Paris is in France', vote: true },
      {
        verdict: 'fail',
        judge: 'cortensor router validate',
        reason: 'Paris is the capital of France',
        vote: true,
      },
      expect.objectContaining({ verdict: 'fail', judge: 'panel majority (0 of 2 passed)' }),
      { verdict: 'pass', judge: 'judge/judge-1', reason: 'correct', vote: true },
      { verdict: 'pass', judge: 'cortensor router validate', reason: 'VALID', vote: true },
      expect.objectContaining({ verdict: 'pass', judge: 'panel majority (2 of 2 passed)' }),
    ]);
    const events = app.log.read(sessionId);
    const conversation = JSON.stringify(turnConversation(events));
    expect(conversation).toContain('Paris is the capital of France');
    expect(conversation).toContain('incorrect: Paris is in France');
    expect(router.requests.filter((request) => request.path === '/api/v2/validate')).toHaveLength(2);
    expect(JSON.stringify(router.requests[0]?.body)).toContain('Paris is in Germany.');
    await app.close();
  });

  it('lets the strong tier rule on split votes as judge of judges, with every vote in the log', async () => {
    const judge = await startOpenAiEmulator();
    closers.push(judge.close);
    judge.reply(
      verdict(false, 'too vague'),
      verdict(true, 'answers the question'),
      verdict(true, 'vague but right'),
    );
    const home = tempDir();
    writeFileSync(
      join(home, 'config.yaml'),
      `providers:
  script:
    kind: scripted
    responses: [{ text: "It is in France." }]
  judge:
    kind: openai
    baseURL: ${judge.url}/v1
    apiKey: judge-key
    maxAttempts: 1
agents:
  default:
    models:
      default: { provider: script, model: demo }
      strong: { provider: judge, model: chief }
    verify: true
    verification:
      judges: [{ provider: judge, model: judge-1 }, { provider: judge, model: judge-2 }]
      decide: judge-of-judges
`,
    );
    const app = await openApp({ env: { PYCLAW_HOME: home } });
    const { sessionId, outcome } = await runInSession(app, { message: 'Where is Paris?' });
    expect(outcome).toMatchObject({ status: 'completed', answer: 'It is in France.' });
    const verdicts = app.log.read(sessionId).filter((event) => event.type === 'verify.verdict');
    expect(verdicts.map((event) => event.payload)).toEqual([
      { verdict: 'fail', judge: 'judge/judge-1', reason: 'too vague', vote: true },
      { verdict: 'pass', judge: 'judge/judge-2', reason: 'answers the question', vote: true },
      { verdict: 'pass', judge: 'judge of judges judge/gpt-emulated', reason: 'vague but right' },
    ]);
    expect(JSON.stringify(judge.requests[2]?.body)).toContain('too vague');
    await app.close();
  });
});
