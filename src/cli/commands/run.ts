import { createInterface } from 'node:readline/promises';
import pc from 'picocolors';
import {
  type ApprovalAnswer,
  type ApprovalPrompt,
  type RunSessionResult,
  runInSession,
  type TurnOutcome,
} from '../../runtime/index.js';
import { printJson } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

export interface RunOptions extends JsonOption {
  agent?: string;
  session?: string;
}

/** `pyclaw run "<message>"`: one turn, the answer streamed when stdout is a terminal. */
export function run(message: string, options: RunOptions): Promise<void> {
  return runAndReport({ ...options, message });
}

/** `pyclaw resume [--session S]`: drives turns that a crash or an approval left unfinished. */
export function resume(options: JsonOption & { session?: string }): Promise<void> {
  return runAndReport({ ...options, message: undefined });
}

function runAndReport(options: RunOptions & { message: string | undefined }): Promise<void> {
  return withApp(async (app) => {
    const streaming = !options.json && process.stdout.isTTY === true;
    let streamed = false;
    const result = await runInSession(app, {
      agentId: options.agent,
      sessionId: options.session,
      message: options.message,
      hooks: {
        onDelta: streaming
          ? (text) => {
              streamed = true;
              process.stdout.write(text);
            }
          : undefined,
        askApproval: process.stdin.isTTY && !options.json ? askOnTerminal : undefined,
      },
    });
    const outcomes = [...result.resumed, ...(result.outcome ? [result.outcome] : [])];
    if (outcomes.some((outcome) => outcome.status !== 'completed')) process.exitCode = 1;
    if (options.json) return printJson(result);
    report(result, outcomes, streamed);
  });
}

function report(result: RunSessionResult, outcomes: TurnOutcome[], streamed: boolean): void {
  for (const outcome of outcomes) {
    if (outcome.status === 'completed') {
      if (!streamed) process.stdout.write(outcome.answer);
      process.stdout.write('\n');
    } else if (outcome.status === 'failed') {
      process.stderr.write(`pyclaw: turn ${outcome.turnId} failed: ${outcome.error} (${outcome.code})\n`);
    } else {
      process.stderr.write(
        `pyclaw: waiting for approval of ${outcome.approval.summary}; answer it with \`pyclaw chat --session ${result.sessionId}\` and /approve\n`,
      );
    }
  }
  if (outcomes.length === 0) process.stderr.write(pc.dim('nothing to resume\n'));
  process.stderr.write(pc.dim(`session ${result.sessionId}\n`));
}

async function askOnTerminal(prompt: ApprovalPrompt): Promise<ApprovalAnswer | undefined> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question(`\n${pc.yellow('approve?')} ${prompt.summary} [y/N] `);
    return /^y(es)?$/i.test(answer.trim()) ? 'approve' : 'deny';
  } finally {
    readline.close();
  }
}
