import { z } from 'zod';
import { errorMessage } from '../core/index.js';
import type { ModelRef } from '../registry/index.js';
import { type ChatMessage, LlmError } from './contract.js';
import type { ModelCaller, RoutedCallOptions, RoutedRequest, RoutedResponse } from './router.js';

export interface PanelPlan {
  panel: ModelRef[];
  judge: ModelRef;
}

/** One panel member's answer, or why it has none. */
export type PanelVote = ModelRef & ({ ok: true; response: RoutedResponse } | { ok: false; error: string });

export interface PanelVerdict {
  answer: string;
  /** Index into `votes` of the answer the judge picked; undefined when the judge merged answers. */
  picked: number | undefined;
  reason: string;
  votes: PanelVote[];
  /** The judge's own call; absent when only one panel member answered and there was nothing to judge. */
  judge: RoutedResponse | undefined;
}

const judgeVerdictSchema = z.object({
  choice: z.number().int().min(0).describe('number of the best candidate, or 0 for a merged answer'),
  answer: z.string().describe('the final answer: the chosen candidate, or the merged one'),
  reason: z.string().describe('one or two sentences on why'),
});

/**
 * Panel-and-judge: asks every panel model in parallel, then a judge model that sees the request and
 * the numbered candidates and either picks one or merges them. Meant for text answers. Each call is
 * its own sub-step (`<step>.panel.<i>`, `<step>.judge`), so every vote is recorded and reusable.
 */
export async function panelAndJudge(
  caller: ModelCaller,
  request: RoutedRequest,
  plan: PanelPlan,
  options: RoutedCallOptions = {},
): Promise<PanelVerdict> {
  const votes: PanelVote[] = await Promise.all(
    plan.panel.map(async (ref, index): Promise<PanelVote> => {
      try {
        return {
          ...ref,
          ok: true,
          response: await caller.call(ref, request, subStep(options, `panel.${index}`)),
        };
      } catch (error) {
        if (error instanceof LlmError && error.kind === 'aborted') throw error;
        return { ...ref, ok: false, error: errorMessage(error) };
      }
    }),
  );
  const answered = votes.flatMap((vote, index) =>
    vote.ok ? [{ index, text: vote.response.text, vote }] : [],
  );
  const [only] = answered;
  if (!only) {
    const reasons = votes.map((vote) => (vote.ok ? '' : vote.error)).join('; ');
    throw new LlmError('unavailable', plan.judge.provider, `no panel member answered: ${reasons}`);
  }
  if (answered.length === 1) {
    return {
      answer: only.text,
      picked: only.index,
      reason: 'only one panel member answered',
      votes,
      judge: undefined,
    };
  }

  const candidates = answered.map((entry, n) => `Candidate ${n + 1}:\n<<<\n${entry.text}\n>>>`).join('\n\n');
  const judge = await caller.call(
    plan.judge,
    {
      messages: [
        {
          role: 'system',
          content:
            'You judge answers. Several assistants answered the same request. Choose the best candidate by its ' +
            'number, or, only when combining them is clearly better, write a merged answer and choose 0.',
        },
        { role: 'user', content: `The request:\n${transcript(request.messages)}\n\n${candidates}` },
      ],
      output: { name: 'verdict', schema: z.toJSONSchema(judgeVerdictSchema) },
    },
    subStep(options, 'judge'),
  );
  const verdict = parseStructured(judge, judgeVerdictSchema);
  if (verdict.choice === 0)
    return { answer: verdict.answer, picked: undefined, reason: verdict.reason, votes, judge };
  const chosen = answered[verdict.choice - 1];
  if (!chosen) {
    throw new LlmError(
      'bad_response',
      judge.provider,
      `judge chose candidate ${verdict.choice} of ${answered.length}`,
    );
  }
  return { answer: chosen.text, picked: chosen.index, reason: verdict.reason, votes, judge };
}

export interface SecondOpinionPlan {
  first: ModelRef;
  second: ModelRef;
}

const reviewSchema = z.object({
  agrees: z.boolean().describe('true when the answer is correct and complete'),
  critique: z.string().describe('what is wrong or missing; empty when nothing is'),
  revisedAnswer: z.string().describe('a corrected answer when you disagree; empty when you agree'),
});
export type Review = z.infer<typeof reviewSchema>;

export interface SecondOpinion {
  /** The first answer, or the reviewer's revision when it disagreed and offered one. */
  answer: string;
  first: RoutedResponse;
  review: Review;
  reviewer: RoutedResponse;
}

/** Asks one model, then has a second review that answer (sub-steps `<step>.first`, `<step>.review`). */
export async function secondOpinion(
  caller: ModelCaller,
  request: RoutedRequest,
  plan: SecondOpinionPlan,
  options: RoutedCallOptions = {},
): Promise<SecondOpinion> {
  const first = await caller.call(plan.first, request, subStep(options, 'first'));
  const reviewer = await caller.call(
    plan.second,
    {
      messages: [
        {
          role: 'system',
          content:
            'You review another assistant\u2019s answer for correctness and completeness. Be concrete.',
        },
        {
          role: 'user',
          content: `The request:\n${transcript(request.messages)}\n\nThe answer:\n<<<\n${first.text}\n>>>`,
        },
      ],
      output: { name: 'review', schema: z.toJSONSchema(reviewSchema) },
    },
    subStep(options, 'review'),
  );
  const review = parseStructured(reviewer, reviewSchema);
  const answer = !review.agrees && review.revisedAnswer ? review.revisedAnswer : first.text;
  return { answer, first, review, reviewer };
}

function subStep(options: RoutedCallOptions, suffix: string): RoutedCallOptions {
  const { step, ...rest } = options;
  return step ? { ...rest, step: { ...step, stepId: `${step.stepId}.${suffix}` } } : rest;
}

function transcript(messages: ChatMessage[]): string {
  return messages
    .filter((message) => message.role !== 'system')
    .map((message) => `[${message.role}] ${message.content}`)
    .join('\n');
}

function parseStructured<T>(response: RoutedResponse, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(response.text);
  } catch {
    throw new LlmError(
      'bad_response',
      response.provider,
      `expected JSON, got: ${response.text.slice(0, 200)}`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new LlmError('bad_response', response.provider, `unexpected answer shape: ${parsed.error.message}`);
  }
  return parsed.data;
}
