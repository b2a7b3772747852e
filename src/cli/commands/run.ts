import { createInterface } from 'node:readline/promises';
import pc from 'picocolors';
import {
  type ApprovalAnswer,
  type ApprovalPrompt,
  type PyclawApp,
  type RunSessionOptions,
  type RunSessionResult,
  runInSession,
  sessionsWithOpenTurns,
} from '../../runtime/index.js';
import { crashPointFromEnv } from '../crash-point.js';
import { printJson } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

export interface RunOptions extends JsonOption {
  agent?: string;
  session?: string;
}

type SessionRun = Omit<RunSessionOptions, 'hooks'>;

/** `pyclaw run "<message>"`: one turn, the answer streamed when stdout is a terminal. */
export function run(message: string, options: RunOptions): Promise<void> {
  return withApp((app) =>
    driveAndReport(app, [{ agentId: options.agent, sessionId: options.session, message }], options, single),
  );
}

/** `pyclaw resume [--session S]`: drives the turns that a crash or an approval left unfinished. */
export function resume(options: JsonOption & { session?: string }): Promise<void> {
  return withApp((app) => {
    const sessionIds = options.session ? [options.session] : sessionsWithOpenTurns(app);
    return driveAndReport(
      app,
      sessionIds.map((sessionId) => ({ sessionId })),
      options,
      (results) => ({ sessions: results }),
    );
  });
}

function single(results: RunSessionResult[]): unknown {
  return results[0];
}

/**
 * Runs (or resumes) each session's turns in turn and prints their outcomes; exit 1 unless all
 * completed. `toJson` shapes the --json output.
 */
export async function driveAndReport(
  app: PyclawApp,
  runs: SessionRun[],
  options: JsonOption,
  toJson: (results: RunSessionResult[]) => unknown = single,
): Promise<void> {
  const streaming = !options.json && process.stdout.isTTY === true;
  const crashPoint = crashPointFromEnv();
  if (crashPoint) app.log.subscribe('*', crashPoint);
  const results: RunSessionResult[] = [];
  for (const sessionRun of runs) {
    let streamed = false;
    const result = await runInSession(app, {
      ...sessionRun,
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
    results.push(result);
    if (!options.json) report(result, streamed);
  }
  const outcomes = results.flatMap((result) => [
    ...result.resumed,
    ...(result.outcome ? [result.outcome] : []),
  ]);
  if (outcomes.some((outcome) => outcome.status !== 'completed')) process.exitCode = 1;
  if (options.json) printJson(toJson(results));
  else if (outcomes.length === 0) process.stderr.write(pc.dim('nothing to resume\n'));
}

function report(result: RunSessionResult, streamed: boolean): void {
  for (const outcome of [...result.resumed, ...(result.outcome ? [result.outcome] : [])]) {
    if (outcome.status === 'completed') {
      if (!streamed) process.stdout.write(outcome.answer);
      process.stdout.write('\n');
    } else if (outcome.status === 'failed') {
      process.stderr.write(`pyclaw: turn ${outcome.turnId} failed: ${outcome.error} (${outcome.code})\n`);
    } else {
      process.stderr.write(
        `pyclaw: waiting for approval ${outcome.approval.approvalId}: ${outcome.approval.summary}; answer with \`pyclaw approvals approve|deny ${outcome.approval.approvalId}\`\n`,
      );
    }
  }
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
