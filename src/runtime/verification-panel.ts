import { PyclawError } from '../core/index.js';
import { isCortensorProvider, type LlmStep, type ModelRouter, type Provider } from '../llm/index.js';
import type { Verification } from '../registry/index.js';
import { judgeRequest, parseVerdict } from './verify-and-reflect.js';

/** One judge's ruling on an answer, as `verify.verdict` records it. */
export type Vote = {
  verdict: 'pass' | 'fail';
  judge: string;
  reason: string;
};

export interface PanelDeps {
  router: ModelRouter;
  providers?: ReadonlyMap<string, Provider>;
  /** The recorded step of one model call, so a resumed verify reuses the votes already given. */
  step: (stepId: string) => LlmStep;
  signal?: AbortSignal;
}

/**
 * Judges an answer: the strong tier alone when no panel is configured; otherwise each judge (and the
 * Cortensor check) votes, and the majority decides (a tie fails) or the strong tier rules on the votes.
 */
export async function judgeAnswer(
  verification: Verification,
  deps: PanelDeps,
  stepId: string,
  input: string,
  answer: string,
): Promise<{ votes: Vote[]; final: Vote }> {
  const options = (id: string) => ({ step: deps.step(id), signal: deps.signal });
  if (verification.judges.length === 0 && !verification.cortensor) {
    const judged = await deps.router.complete('strong', judgeRequest(input, answer), options(stepId));
    return { votes: [], final: { ...parseVerdict(judged), judge: `${judged.provider}/${judged.model}` } };
  }
  const votes: Vote[] = [];
  for (const [index, ref] of verification.judges.entries()) {
    const judged = await deps.router.call(
      ref,
      judgeRequest(input, answer),
      options(`${stepId}/judge-${index + 1}`),
    );
    votes.push({ ...parseVerdict(judged), judge: `${ref.provider}/${ref.model}` });
  }
  if (verification.cortensor) votes.push(await cortensorVote(verification.cortensor, deps, input, answer));
  if (verification.decide === 'majority') return { votes, final: majority(votes) };
  const ruled = await deps.router.complete(
    'strong',
    judgeOfJudgesRequest(input, answer, votes),
    options(`${stepId}/final`),
  );
  return {
    votes,
    final: { ...parseVerdict(ruled), judge: `judge of judges ${ruled.provider}/${ruled.model}` },
  };
}

function majority(votes: readonly Vote[]): Vote {
  const passes = votes.filter((vote) => vote.verdict === 'pass').length;
  const verdict = passes * 2 > votes.length ? 'pass' : 'fail';
  const dissent = votes
    .filter((vote) => vote.verdict === 'fail')
    .map((vote) => `${vote.judge}: ${vote.reason}`);
  return {
    verdict,
    judge: `panel majority (${passes} of ${votes.length} passed)`,
    reason: verdict === 'pass' ? `${passes} of ${votes.length} judges passed it` : dissent.join('; '),
  };
}

function judgeOfJudgesRequest(input: string, answer: string, votes: readonly Vote[]) {
  const request = judgeRequest(input, answer);
  const ballot = votes.map((vote) => `- ${vote.judge}: ${vote.verdict} — ${vote.reason}`).join('\n');
  return {
    ...request,
    messages: [
      ...request.messages,
      {
        role: 'user' as const,
        content: `Other judges said:\n${ballot}\nWeigh their reasons, then give your own verdict.`,
      },
    ],
  };
}

async function cortensorVote(
  check: NonNullable<Verification['cortensor']>,
  deps: PanelDeps,
  input: string,
  answer: string,
): Promise<Vote> {
  const provider = deps.providers?.get(check.provider);
  if (!provider || !isCortensorProvider(provider)) {
    throw new PyclawError(
      'verify.no-cortensor',
      `verification.cortensor.provider "${check.provider}" is not a Cortensor provider in providers:`,
    );
  }
  const judge = `cortensor ${check.provider} ${check.method}`;
  if (check.method === 'factcheck') {
    const result = await provider.factcheck({ claim: answer }, { signal: deps.signal });
    const pass = /^(true|supported|valid|correct)/i.test(result.verdict);
    return {
      verdict: pass ? 'pass' : 'fail',
      judge,
      reason: `${result.verdict} (confidence ${result.confidence})`,
    };
  }
  const result = await provider.validate(
    { claim: answer, context: { request: input } },
    { signal: deps.signal },
  );
  return {
    verdict: result.verdict === 'VALID' ? 'pass' : 'fail',
    judge,
    reason: result.reasons.join('; ') || result.verdict,
  };
}
