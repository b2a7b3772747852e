import type { StoredEvent } from '../core/index.js';
import type { ChatMessage } from '../llm/index.js';
import { plannedCalls, planStepId, readTurn, type TurnRecord } from './turn-record.js';

/**
 * This turn's messages for its next model call: the user's input (from `turn.started.input`), then each
 * answered plan step as the model's own message followed by one `tool` message per call that has a
 * result, and a request to revise after an answer that failed verification.
 */
export function turnConversation(events: readonly StoredEvent[]): ChatMessage[] {
  const turn = readTurn(events);
  const messages: ChatMessage[] = turn.input === undefined ? [] : [{ role: 'user', content: turn.input }];
  const planSteps = turn.phases.filter((phase) => phase.phase === 'plan').length;
  for (let step = 1; step <= planSteps; step++) {
    const stepId = planStepId(step);
    const answer = turn.answers.get(stepId);
    if (!answer) continue;
    messages.push(
      answer.toolCalls.length > 0
        ? { role: 'assistant', content: answer.text, toolCalls: answer.toolCalls }
        : { role: 'assistant', content: answer.text },
    );
    for (const { callId, call } of plannedCalls(turn, stepId)) {
      const result = turn.results.get(callId);
      if (!result) continue;
      messages.push({ role: 'tool', toolCallId: call.id, content: result.preview, isError: result.isError });
    }
    const failed = failedVerification(turn, step);
    if (failed) {
      messages.push({ role: 'user', content: `Verification failed: ${failed}. Revise your answer.` });
    }
  }
  return messages;
}

/** The reason the verify phase after plan step `step` failed its answer, if it did. */
function failedVerification(turn: TurnRecord, step: number): string | undefined {
  const verify = turn.phases.find((phase) => phase.phase === 'verify' && phase.planStep === step);
  const verdict = verify?.verdicts.at(-1);
  return verdict?.verdict === 'fail' ? verdict.reason : undefined;
}
