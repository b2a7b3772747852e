import type { StoredEvent } from '../core/index.js';
import type { CompletionResponse, RoutedRequest } from '../llm/index.js';
import type { MemoryKind } from '../memory/index.js';

/** The judge's answer to "is this a correct, complete answer to the request?". */
const verdictSchema = {
  type: 'object',
  properties: { verdict: { enum: ['pass', 'fail'] }, reason: { type: 'string' } },
  required: ['verdict', 'reason'],
  additionalProperties: false,
};

const lessonsSchema = {
  type: 'object',
  properties: {
    lessons: {
      type: 'array',
      maxItems: 3,
      items: {
        type: 'object',
        properties: {
          kind: { enum: ['fact', 'preference', 'lesson', 'procedure'] },
          text: { type: 'string' },
        },
        required: ['kind', 'text'],
        additionalProperties: false,
      },
    },
  },
  required: ['lessons'],
  additionalProperties: false,
};

export function turnInput(events: readonly StoredEvent[]): string {
  const started = events.find((event) => event.type === 'turn.started');
  return (started?.payload as { input?: string } | undefined)?.input ?? '';
}

export function judgeRequest(input: string, answer: string): RoutedRequest {
  return {
    messages: [
      {
        role: 'system',
        content:
          'You check answers. Say "pass" when the answer correctly and completely addresses the request, ' +
          'otherwise "fail" with the reason in one sentence.',
      },
      { role: 'user', content: `Request:\n${input}\n\nAnswer:\n${answer}` },
    ],
    output: { name: 'verdict', schema: verdictSchema },
  };
}

export function parseVerdict(response: CompletionResponse): { verdict: 'pass' | 'fail'; reason: string } {
  return JSON.parse(response.text) as { verdict: 'pass' | 'fail'; reason: string };
}

export function reflectionRequest(input: string, answer: string): RoutedRequest {
  return {
    messages: [
      {
        role: 'system',
        content:
          'List at most three things worth remembering from this exchange for future turns: facts about the ' +
          'user or their world, their preferences, lessons, or procedures. An empty list is fine.',
      },
      { role: 'user', content: `Request:\n${input}\n\nAnswer:\n${answer}` },
    ],
    output: { name: 'lessons', schema: lessonsSchema },
  };
}

/** The lessons, as the structured-output check (against `lessonsSchema`) has already validated them. */
export function parseLessons(response: CompletionResponse): { kind: MemoryKind; text: string }[] {
  return (JSON.parse(response.text) as { lessons: { kind: MemoryKind; text: string }[] }).lessons;
}
