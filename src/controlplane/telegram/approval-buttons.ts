import { InlineKeyboard } from 'grammy';
import { z } from 'zod';
import type { GrantTerm } from '../../policy/index.js';

/** What a button under an approval prompt answers: a decision, and for approvals how long it holds. */
export const approvalChoiceSchema = z.enum(['once', '15m', 'session', 'always', 'deny']);
export type ApprovalChoice = z.infer<typeof approvalChoiceSchema>;

const choiceLabels: Record<ApprovalChoice, string> = {
  once: '✅ Approve once',
  '15m': '⏱ 15 min',
  session: '💬 This session',
  always: '♾ Always',
  deny: '⛔ Deny',
};

const prefix = 'approval';

export function approvalKeyboard(approvalId: string): InlineKeyboard {
  const button = (choice: ApprovalChoice) =>
    InlineKeyboard.text(choiceLabels[choice], `${prefix}:${approvalId}:${choice}`);
  return InlineKeyboard.from([
    [button('once'), button('15m')],
    [button('session'), button('always')],
    [button('deny')],
  ]);
}

/** The approval and choice a pressed button carries; undefined for data that is not ours. */
export function parseApprovalButton(
  data: string,
): { approvalId: string; choice: ApprovalChoice } | undefined {
  const [tag, approvalId, choice] = data.split(':');
  const parsed = approvalChoiceSchema.safeParse(choice);
  if (tag !== prefix || !approvalId || !parsed.success) return undefined;
  return { approvalId, choice: parsed.data };
}

const choiceOutcomes: Record<ApprovalChoice, string> = {
  once: 'approved once',
  '15m': 'approved for 15 min',
  session: 'approved for this session',
  always: 'approved always',
  deny: 'denied',
};

export function describeChoice(choice: ApprovalChoice): string {
  return choiceOutcomes[choice];
}

/** How long an approval chosen with this button holds (a denial is only ever for the one call). */
export function choiceTerm(choice: ApprovalChoice): GrantTerm {
  const terms: Record<ApprovalChoice, GrantTerm> = {
    once: { scope: 'once' },
    '15m': { scope: 'until', durationMs: 15 * 60_000 },
    session: { scope: 'session' },
    always: { scope: 'forever' },
    deny: { scope: 'once' },
  };
  return terms[choice];
}
