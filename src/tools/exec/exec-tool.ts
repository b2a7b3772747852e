import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { PyclawError } from '../../core/index.js';
import { resolveInWorkspace } from '../../safety/index.js';
import { defineTool, type Tool, type ToolContext } from '../contract.js';
import { headTailPreview } from '../preview.js';
import type { ExecConfig } from './exec-config.js';
import { type CapturedStream, runShell, type ShellOutcome } from './shell-process.js';

export interface ExecToolOptions {
  config: ExecConfig;
  /** The command's environment, built per call so a missing secret fails that call, not PyClaw's start. */
  env(): Record<string, string>;
}

/** Each stream is shown whole up to this size, else as head and tail with the whole in an artifact. */
const streamPreviewBytes = 1800;

export function execTool({ config, env }: ExecToolOptions): Tool {
  const input = z.strictObject({
    command: z.string().min(1).describe('Shell command line, run by /bin/sh -c'),
    cwd: z.string().min(1).default('.').describe('Working directory, inside the workspace'),
    timeout_ms: z
      .int()
      .min(100)
      .max(config.maxTimeoutMs)
      .optional()
      .describe(`Stop the command after this long; default ${config.timeoutMs}`),
  });
  return defineTool({
    name: 'exec',
    description:
      'Run a shell command in the workspace and return its exit code, stdout and stderr. ' +
      'It gets a minimal environment; it and anything it starts are stopped at the timeout.',
    input,
    annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
    intent: ({ command, cwd }) => ({ command: { line: command, cwd } }),
    async execute(ctx, call, signal) {
      const cwd = await workingDirectory(ctx, call.cwd);
      const outcome = await runShell({
        command: call.command,
        cwd,
        env: env(),
        timeoutMs: call.timeout_ms ?? config.timeoutMs,
        maxOutputBytes: config.maxOutputBytes,
        signal,
      });
      return report(ctx, outcome, call.timeout_ms ?? config.timeoutMs);
    },
  });
}

async function workingDirectory(ctx: ToolContext, cwd: string): Promise<string> {
  const dir = resolveInWorkspace(ctx.workspaceRoots, cwd);
  if (!(await stat(dir)).isDirectory()) {
    throw new PyclawError('tool.not-a-directory', `cwd ${cwd} is not a directory`);
  }
  return dir;
}

async function report(ctx: ToolContext, outcome: ShellOutcome, timeoutMs: number) {
  const artifacts: string[] = [];
  const sections = [status(outcome, timeoutMs)];
  for (const [name, stream] of [
    ['stdout', outcome.stdout],
    ['stderr', outcome.stderr],
  ] as const) {
    if (stream.totalBytes === 0) continue;
    sections.push(`${name}${dropped(stream)}:\n${await shown(ctx, stream, artifacts)}`);
  }
  const isError = outcome.ended !== 'exited' || outcome.exitCode !== 0;
  return { content: sections.join('\n'), artifacts, isError };
}

function status(outcome: ShellOutcome, timeoutMs: number): string {
  if (outcome.ended === 'timeout')
    return `stopped after the ${timeoutMs} ms timeout, with everything it started`;
  if (outcome.ended === 'cancelled') return 'cancelled: stopped with everything it started';
  return outcome.exitCode === null ? 'ended by a signal' : `exit code ${outcome.exitCode}`;
}

function dropped(stream: CapturedStream): string {
  return stream.totalBytes > stream.bytes.length
    ? ` (first ${stream.bytes.length} of ${stream.totalBytes} bytes kept)`
    : '';
}

async function shown(ctx: ToolContext, stream: CapturedStream, artifacts: string[]): Promise<string> {
  const bytes = Buffer.from(ctx.redact(stream.bytes.toString('utf8')));
  if (bytes.length <= streamPreviewBytes) return bytes.toString('utf8');
  const { ref } = await ctx.artifacts.put(bytes, { mime: 'text/plain; charset=utf-8' });
  artifacts.push(ref);
  return headTailPreview(bytes, ref, streamPreviewBytes);
}
