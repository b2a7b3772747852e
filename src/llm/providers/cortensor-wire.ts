import { z } from 'zod';

/**
 * The Cortensor router node's Web2 HTTP API, as PyClaw speaks it (router default port 5010, every
 * route authenticated with `Authorization: Bearer <api key>`).
 *
 * Sources, all marked work-in-progress by Cortensor when read:
 * - [R1] "Web2 API Reference" (status "WIP — Early Draft", undated),
 *   https://docs.cortensor.network/getting-started/web2-api-reference — Bearer auth, base URL
 *   `http://<router_host>:5010`, `POST /api/v1/completions/{sessionId}` (numeric session id in the path)
 *   and `POST /api/v1/completions` (session id in the JSON body), the `stream` field for token-level
 *   streaming, "compatible with OpenAI-style interfaces".
 * - [R2] "Web2 API Reference" and "Router Node", docs v2 (last updated 2026-06-28),
 *   https://docs-v2.cortensor.network/getting-started/web2-api-reference/ and
 *   https://docs-v2.cortensor.network/products/router-node-progress/ — the route families:
 *   `/api/v{1,2,3}/completions[/<session_id>]`, `/api/v{1,2,3}/delegate`, `/api/v{1,2,3}/validate`,
 *   `/api/v1/factcheck` (alias `/api/v1/fact-check`).
 * - [R3] "/delegate & /validate Versions",
 *   https://docs.cortensor.network/community-and-ecosystem/products-and-agents/corgent/delegate-and-validate-versions
 *   — v2 is "live today" and the "current default": delegate takes `objective, input, execution,
 *   policy` (+ optional `tools, workflow, metadata`), validate takes `claim, policy, context`
 *   (+ optional `actor, metadata`), each with one `session_id`; validate answers with a verdict
 *   `VALID | INVALID | RETRY | NEEDS_SPEC` plus reasons and evidence.
 * - [R4] Cortensor devlog "Fact-Check API Foundation", https://farcaster.xyz/cortensor/0x0b9a9c2c —
 *   `POST /api/v1/factcheck`, modes `standard | realtime` (each bound to a router-side session),
 *   redundancy of at least 3 miners, a top-level verdict and confidence plus per-run evidence blocks.
 *
 * None of these prints a field-level schema. Where a shape below goes further than they state, its
 * comment says "inferred" and what the inference rests on.
 */

const jsonObject = z.record(z.string(), z.unknown());

/** JSON.parse that answers `undefined` for text that is not JSON. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const completionUsageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
});

/**
 * Body of `POST /api/v1/completions[/{session_id}]` [R1]. [R1] names `prompt`, `stream` and the
 * session id; the other fields (and `timeout` in seconds) are inferred from Cortensor's own client in
 * github.com/cortensor/community-projects (apps/cortensor-claim-check/lib/cortensorClient.ts), which
 * sends exactly this set.
 */
export const completionBodySchema = z.object({
  /** Present only when the session id is not in the path. */
  session_id: z.number().int().nonnegative().optional(),
  prompt: z.string(),
  prompt_type: z.number().int().nonnegative(),
  prompt_template: z.string(),
  stream: z.boolean(),
  timeout: z.number().int().positive(),
  client_reference: z.string().optional(),
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  top_k: z.number().int().optional(),
  presence_penalty: z.number().optional(),
  frequency_penalty: z.number().optional(),
});
export type CompletionBody = z.infer<typeof completionBodySchema>;

/**
 * A whole completion answer: OpenAI's text-completion shape (`choices[].text`, `usage`), as [R1]
 * promises and Cortensor's client reads it; `usage` is optional because that client never relies on it.
 */
export const completionAnswerSchema = z.looseObject({
  model: z.string().optional(),
  choices: z
    .array(z.looseObject({ text: z.string(), finish_reason: z.string().nullish() }))
    .min(1, 'the answer holds no choices'),
  usage: completionUsageSchema.optional(),
});

/**
 * One `data:` event of a streamed completion (inferred: [R1] says only "token-level streaming" in
 * OpenAI style, so this is OpenAI's text-completion chunk ending in `data: [DONE]`). A chat-style
 * `delta.content` is read too, because clients of the router in the wild read both.
 */
export const completionChunkSchema = z.looseObject({
  model: z.string().optional(),
  choices: z.array(
    z.looseObject({
      text: z.string().optional(),
      delta: z.looseObject({ content: z.string().nullish() }).optional(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: completionUsageSchema.optional(),
});

/**
 * An error body (inferred): `{error: {message}}`, the shape of the documented hosted-gateway error
 * envelope [R2] and what Cortensor's own client reads (`json.error?.message`); a bare string is accepted.
 */
export const routerErrorSchema = z.object({
  error: z.union([z.string(), z.looseObject({ message: z.string() })]),
});

const sessionField = { session_id: z.number().int().nonnegative() };

/** What a caller asks `/api/v2/delegate` to do [R3]; the contents of each block are not documented. */
export const delegateRequestSchema = z.strictObject({
  objective: z.string().min(1),
  input: z.union([z.string(), jsonObject]).optional(),
  execution: jsonObject.optional(),
  policy: jsonObject.optional(),
  tools: z.array(z.unknown()).optional(),
  workflow: jsonObject.optional(),
  metadata: jsonObject.optional(),
});
export const delegateBodySchema = delegateRequestSchema.extend(sessionField);
export type DelegateBody = z.infer<typeof delegateBodySchema>;

/**
 * The delegate answer. [R3] says it carries the final output and evidence of how the work was done
 * (steps, tools, configs); the key names `output` and `evidence` are inferred.
 */
export const delegateAnswerSchema = z.looseObject({
  output: z.unknown(),
  evidence: z.unknown().optional(),
});

/** What a caller asks `/api/v2/validate` to judge [R3]: what was asked and produced, and how to judge it. */
export const validateRequestSchema = z.strictObject({
  claim: z.union([z.string(), jsonObject]),
  policy: jsonObject.optional(),
  context: jsonObject.optional(),
  actor: jsonObject.optional(),
  metadata: jsonObject.optional(),
});
export const validateBodySchema = validateRequestSchema.extend(sessionField);
export type ValidateBody = z.infer<typeof validateBodySchema>;

/** The validate verdict contract [R3]; `score` is the "score/verdict metadata" of [R2]. */
export const validateAnswerSchema = z.looseObject({
  verdict: z.enum(['VALID', 'INVALID', 'RETRY', 'NEEDS_SPEC']),
  reasons: z.array(z.string()).default([]),
  score: z.number().optional(),
  evidence: z.unknown().optional(),
});

/**
 * The body of `/api/v1/factcheck` [R4]. No `session_id`: each mode is bound to a fact-check session
 * in the router's own config. Field names beyond `mode` are inferred.
 */
export const factcheckRequestSchema = z.strictObject({
  claim: z.string().min(1),
  mode: z.enum(['standard', 'realtime']).default('standard'),
  /** How many miners check the claim; the router's minimum is 3. */
  redundancy: z.number().int().min(3).optional(),
  policy: jsonObject.optional(),
});

/** The fact-check answer [R4]: verdict and confidence, plus per-run evidence (key name inferred). */
export const factcheckAnswerSchema = z.looseObject({
  verdict: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(jsonObject).default([]),
});
