import type { TranscriptLine } from './transcript.js';

/** The rolling summary's template: every summary, by model or extractive, has these parts. */
export interface StructuredSummary {
  goal: string;
  decisions: string[];
  facts: string[];
  openThreads: string[];
  lastState: string;
}

const headings = {
  goal: 'Goal:',
  decisions: 'Decisions:',
  facts: 'Facts:',
  openThreads: 'Open threads:',
  lastState: 'Last state:',
} as const;

export const summaryTemplate = [
  `${headings.goal} <what the user is trying to achieve, one line>`,
  headings.decisions,
  '- <a decision made or an action taken, one line each>',
  headings.facts,
  '- <a fact learned (names, paths, numbers, preferences), one line each>',
  headings.openThreads,
  '- <something asked or started and not finished>',
  `${headings.lastState} <where things stand now, one line>`,
].join('\n');

export function renderSummary(summary: StructuredSummary): string {
  const list = (items: string[]) => (items.length > 0 ? items.map((item) => `- ${item}`) : ['- (none)']);
  return [
    `${headings.goal} ${summary.goal || '(unknown)'}`,
    headings.decisions,
    ...list(summary.decisions),
    headings.facts,
    ...list(summary.facts),
    headings.openThreads,
    ...list(summary.openThreads),
    `${headings.lastState} ${summary.lastState || '(unknown)'}`,
  ].join('\n');
}

/** Reads a summary written in the template; parts it cannot find are empty. */
export function parseSummary(text: string): StructuredSummary {
  const summary: StructuredSummary = { goal: '', decisions: [], facts: [], openThreads: [], lastState: '' };
  let list: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith(headings.goal)) {
      summary.goal = line.slice(headings.goal.length).trim();
      list = undefined;
    } else if (line.startsWith(headings.lastState)) {
      summary.lastState = line.slice(headings.lastState.length).trim();
      list = undefined;
    } else if (line === headings.decisions) list = summary.decisions;
    else if (line === headings.facts) list = summary.facts;
    else if (line === headings.openThreads) list = summary.openThreads;
    else if (list && line.startsWith('- ') && line !== '- (none)') list.push(line.slice(2).trim());
  }
  return summary;
}

const keep = { decisions: 8, facts: 12, openThreads: 4 };

function firstSentence(text: string, limit = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = /^.*?[.!?](?=\s|$)/.exec(flat)?.[0] ?? flat;
  return sentence.length <= limit ? sentence : `${sentence.slice(0, limit - 1)}…`;
}

function appendUnique(list: string[], item: string, limit: number): string[] {
  const next = [...list.filter((existing) => existing !== item), item];
  return next.slice(-limit);
}

/**
 * The summary without a model: the previous summary with the range folded in. Statements the user
 * made become facts, questions still open at the end become open threads, the answers' first
 * sentences become decisions, and the last answer is the last state.
 */
export function extractiveSummary(
  previous: StructuredSummary,
  lines: readonly TranscriptLine[],
): StructuredSummary {
  const summary: StructuredSummary = { ...previous };
  let pendingQuestions: string[] = [...previous.openThreads];
  for (const line of lines) {
    if (line.role === 'user') {
      const text = firstSentence(line.text, 200);
      if (!summary.goal) summary.goal = text;
      if (/\?\s*$/.test(line.text.trim()))
        pendingQuestions = appendUnique(pendingQuestions, text, keep.openThreads);
      else summary.facts = appendUnique(summary.facts, text, keep.facts);
    }
    if (line.role === 'call')
      summary.decisions = appendUnique(summary.decisions, `called ${line.text}`, keep.decisions);
    if (line.role === 'assistant') {
      const answer = firstSentence(line.text);
      summary.decisions = appendUnique(summary.decisions, `answered: ${answer}`, keep.decisions);
      summary.lastState = answer;
      pendingQuestions = [];
    }
  }
  summary.openThreads = pendingQuestions;
  return summary;
}
