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

/** `pyclaw approvals approve|deny <id>`: records the answer, then lets the waiting turn go on. */
export function answer(decision: ApprovalAnswer) {
  return (approvalId: string, options: JsonOption): Promise<void> =>
    withApp((app) => {
      const pending = findPendingApproval(app.db, app.log, approvalId);
      return driveAndReport(
        app,
        [
          {
            sessionId: pending.sessionId,
            answer: { approvalId: pending.approvalId, decision, by: 'user:cli' },
          },
        ],
        options,
      );
    });
}
