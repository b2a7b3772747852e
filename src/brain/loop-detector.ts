import { canonicalJson } from '../core/index.js';
import { firstLine } from './first-line.js';

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
  const [call, ...laterCalls] = history.calls.slice(-maxRepeats);
  if (call && laterCalls.length === maxRepeats - 1) {
    const key = canonicalJson([call.tool, call.input]);
    if (laterCalls.every((later) => canonicalJson([later.tool, later.input]) === key)) {
      return {
        code: 'loop.repeated-action',
        message: `the model called ${call.tool} ${canonicalJson(call.input)} ${maxRepeats} times in a row`,
      };
    }
  }
  const [result, ...laterResults] = history.results.slice(-maxRepeats);
  if (result?.isError && laterResults.length === maxRepeats - 1) {
    if (laterResults.every((later) => later.isError && later.preview === result.preview)) {
      return {
        code: 'loop.repeated-error',
        message: `the last ${maxRepeats} tool calls failed with the same error: ${firstLine(result.preview)}`,
      };
    }
  }
  return undefined;
}
