import type { ToolOutput } from '../contract.js';
import { type RemoteResult, seconds } from './remote-command.js';

export interface OutputLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

/**
 * stdout, then stderr under a marker, then one line saying how the command ended. It is an error when
 * PyClaw had to end it, a signal ended it, or its exit code is not one `success` accepts.
 */
export function remoteOutput(
  result: RemoteResult,
  limits: OutputLimits,
  success: (exitCode: number) => boolean = (exitCode) => exitCode === 0,
): ToolOutput {
  const parts = [result.stdout.toString('utf8')];
  if (result.stderr.length > 0) parts.push(`--- stderr ---\n${result.stderr.toString('utf8')}`);
  const failed = result.stoppedBy !== undefined || result.exitCode === undefined || !success(result.exitCode);
  const output = parts
    .filter((part) => part !== '')
    .map(withNewline)
    .join('');
  return { content: `${output}[${ending(result, limits)}]`, isError: failed };
}

function ending(result: RemoteResult, limits: OutputLimits): string {
  if (result.stoppedBy === 'timeout')
    return `timed out after ${seconds(limits.timeoutMs)}: the command was killed`;
  if (result.stoppedBy === 'output-limit') {
    return `output passed ${limits.maxOutputBytes} bytes: the command was killed`;
  }
  if (result.exitSignal !== undefined) return `ended by signal ${result.exitSignal}`;
  if (result.exitCode !== undefined) return `exit code ${result.exitCode}`;
  return 'the connection closed without an exit status';
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
