import { PyclawError } from '../../core/index.js';
import type { GrantTerm } from '../../policy/index.js';
import { type ApprovalAnswer, findPendingApproval, pendingApprovals } from '../../runtime/index.js';
import { formatTime, printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';
import { driveAndReport } from './run.js';

/** `pyclaw approvals list`: what open turns are waiting for. */
export function list(options: JsonOption): Promise<void> {
  return withApp((app) => {
    const pending = pendingApprovals(app.db, app.log);
    if (options.json) return printJson(pending);
    printTable(
      pending,
      [
        { header: 'APPROVAL', value: (p) => p.approvalId },
        { header: 'SESSION', value: (p) => p.sessionId },
        { header: 'ASKED', value: (p) => formatTime(p.requestedAt) },
        { header: 'REQUEST', value: (p) => (p.inDoubt ? `[in doubt] ${p.summary}` : p.summary) },
      ],
      'no approvals pending',
    );
  });
}

export interface AnswerOptions extends JsonOption {
  /** Milliseconds, parsed from `--for 15m`. */
  for?: number;
  session?: boolean;
  always?: boolean;
}

/**
 * `pyclaw approvals approve|deny <id>`: records the answer (approving for a while, the session or
 * always also creates a grant), then lets the waiting turn go on.
 */
export function answer(decision: ApprovalAnswer) {
  return (approvalId: string, options: AnswerOptions): Promise<void> =>
    withApp((app) => {
      const term = grantTerm(options);
      const pending = findPendingApproval(app.db, app.log, approvalId);
      return driveAndReport(
        app,
        [
          {
            sessionId: pending.sessionId,
            answer: { approvalId: pending.approvalId, decision, by: 'user:cli', term },
          },
        ],
        options,
      );
    });
}

function grantTerm(options: AnswerOptions): GrantTerm {
  const chosen = [
    options.for !== undefined && ({ scope: 'until', durationMs: options.for } as const),
    options.session === true && ({ scope: 'session' } as const),
    options.always === true && ({ scope: 'forever' } as const),
  ].filter((term) => term !== false);
  if (chosen.length > 1) {
    throw new PyclawError('cli.grant-scope', 'choose one of --for, --session and --always');
  }
  return chosen[0] ?? { scope: 'once' };
}
