import { canonicalJson } from '../core/index.js';

export interface ToolHistory {
  /** The turn's tool calls in the order they were requested, across plan steps. */
  calls: readonly { tool: string; input: unknown }[];
  /** The turn's tool results in the order they were recorded. */
  results: readonly { isError: boolean; preview: string }[];
}

export interface LoopFinding {
  code: 'loop.repeated-action' | 'loop.repeated-error';
  message: string;
}

/**
 * Whether the turn is going round in circles: its last `maxRepeats` tool calls were the same tool with
 * canonically equal arguments, or its last `maxRepeats` tool results were the same error.
 */
export function detectLoop(history: ToolHistory, maxRepeats: number): LoopFinding | undefined {
  const call = history.calls.at(-1);
  if (call && repeatedCalls(history.calls) >= maxRepeats) {
    return {
      code: 'loop.repeated-action',
      message: `the model called ${call.tool} ${canonicalJson(call.input)} ${maxRepeats} times in a row`,
    };
  }
  const [result, ...laterResults] = history.results.slice(-maxRepeats);
  if (result?.isError && laterResults.length === maxRepeats - 1) {
    if (laterResults.every((later) => later.isError && later.preview === result.preview)) {
      return {
        code: 'loop.repeated-error',
        message: `the last ${maxRepeats} tool calls failed with the same error: ${result.preview.split('\n', 1)[0]}`,
      };
    }
  }
  return undefined;
}

/** How many of the last calls in a row were the same tool with canonically equal arguments. */
export function repeatedCalls(calls: ToolHistory['calls']): number {
  const last = calls.at(-1);
  if (!last) return 0;
  const key = canonicalJson([last.tool, last.input]);
  let count = 1;
  for (let i = calls.length - 2; i >= 0; i--) {
    const call = calls[i] as ToolHistory['calls'][number];
    if (canonicalJson([call.tool, call.input]) !== key) break;
    count++;
  }
  return count;
}
