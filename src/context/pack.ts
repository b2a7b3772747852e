import type { ChatMessage, ToolSpec } from '../llm/index.js';
import { dataFenceRule, fenceData } from './fence.js';
import type { PackBudgets, PackedSection, PackItem, PackSection, PromptPack } from './pack-document.js';
import type { MemorySnippet, SkillCardInput, SkillExcerptSource } from './sources.js';
import { messageOverheadTokens, type TokenCounter } from './tokens.js';
import type { ConversationUnit } from './window.js';

export interface PackInput {
  counter: TokenCounter;
  budgets: PackBudgets;
  /** The agent's identity capsule as system prompt text. */
  identity: string;
  summary?: { text: string; fromSeq: number; toSeq: number; ref: string };
  memories: readonly MemorySnippet[];
  skillCards: readonly SkillCardInput[];
  skillExcerpts: readonly SkillExcerptSource[];
  limits: { maxMemorySnippets: number; maxSkillCards: number; maxSkillExcerpts: number };
  tools: readonly ToolSpec[];
  /** Earlier turns, oldest first. */
  history: readonly ConversationUnit[];
  /** Events older than the history read that no summary covers yet. */
  unread?: { fromSeq: number; toSeq: number };
  /** The current turn: its input first. */
  current: readonly ConversationUnit[];
}

interface TextItem {
  ref: string;
  text: string;
}

/**
 * Builds a PromptPack: each fixed section (identity, summary, memory, skills, tools) within its budget,
 * then the current turn and the recent window within what is left of the total. Every item considered
 * is in the telemetry; every item left out or cut says why. Pure: the same input gives the same pack.
 */
export function buildPack(input: PackInput): PromptPack {
  const { counter, budgets } = input;
  const telemetry: PackItem[] = [];
  const sections: PackedSection[] = [];
  const note = (item: PackItem) => telemetry.push(item);

  const identityText = fitText(counter, 'identity', budgets.identity, [
    { ref: 'identity', text: `${input.identity}\n\n${dataFenceRule}` },
  ]);
  identityText.notes.forEach(note);
  sections.push(section('identity', budgets.identity, identityText.text, counter));

  const summaryItems: TextItem[] = input.summary
    ? [
        {
          ref: input.summary.ref,
          text: `## The conversation so far (summary of events ${input.summary.fromSeq}-${input.summary.toSeq})\n${input.summary.text}`,
        },
      ]
    : [];
  const summaryText = fitText(counter, 'summary', budgets.summary, summaryItems);
  summaryText.notes.forEach(note);
  sections.push(section('summary', budgets.summary, summaryText.text, counter));

  sections.push(section('memory', budgets.memory, memoryText(input, note), counter));
  sections.push(section('skills', budgets.skills, skillsText(input, note), counter));

  const tools = fitTools(input, note);
  const toolsTokens = tools.reduce((sum, tool) => sum + toolTokens(counter, tool), 0);
  sections.push({ section: 'tools', budget: budgets.tools, tokens: toolsTokens, text: toolsText(tools) });

  const systemText = sections
    .filter((s) => s.section !== 'tools' && s.text !== '')
    .map((s) => s.text)
    .join('\n\n');
  const system: ChatMessage = { role: 'system', content: systemText };
  const fixedTokens = messageTokens(counter, [system]) + toolsTokens;

  const inputBudget = Math.max(0, budgets.total - fixedTokens);
  const current = fitCurrentTurn(counter, input.current, inputBudget, note);
  const currentTokens = messageTokens(counter, current);
  sections.push(section('input', inputBudget, renderMessages(current), counter, currentTokens));

  const recentBudget = inputBudget - currentTokens;
  const recent = fitWindow(counter, input.history, recentBudget, note);
  if (input.unread) {
    note({
      section: 'recent',
      ref: `event:${input.unread.fromSeq}-${input.unread.toSeq}`,
      tokens: 0,
      decision: 'dropped',
      reason: 'older than the events the window reads, and not yet summarised',
    });
  }
  const recentTokens = messageTokens(counter, recent);
  sections.push(section('recent', recentBudget, renderMessages(recent), counter, recentTokens));

  const order = ['identity', 'summary', 'memory', 'skills', 'tools', 'recent', 'input'];
  sections.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  return {
    format: 'pyclaw.promptpack/1',
    budgets,
    totalTokens: fixedTokens + currentTokens + recentTokens,
    sections,
    telemetry: telemetry.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section)),
    request: { messages: [system, ...recent, ...current], tools: [...tools] },
  };
}

function section(
  name: PackSection,
  budget: number,
  text: string,
  counter: TokenCounter,
  tokens = counter.count(text),
): PackedSection {
  return { section: name, budget, tokens, text };
}

type Note = (item: PackItem) => void;

/**
 * Joins the items that fit `budget` (by the counter, measured on the joined text); the first item that
 * does not fit whole is cut to what is left when `cut` allows, the rest are dropped.
 */
function fitText(
  counter: TokenCounter,
  name: PackSection,
  budget: number,
  items: readonly TextItem[],
  options: { header?: string; cut?: boolean } = {},
): { text: string; notes: PackItem[] } {
  const cut = options.cut ?? true;
  const notes: PackItem[] = [];
  const kept: string[] = options.header ? [options.header] : [];
  let full = false;
  for (const item of items) {
    const tokens = counter.count(item.text);
    if (!full) {
      if (counter.count([...kept, item.text].join('\n')) <= budget) {
        kept.push(item.text);
        notes.push({ section: name, ref: item.ref, tokens, decision: 'included' });
        continue;
      }
      full = true;
      const shortened = cut ? shortenToFit(counter, item.text, kept, budget) : '';
      if (shortened !== '') {
        kept.push(shortened);
        notes.push({
          section: name,
          ref: item.ref,
          tokens: counter.count(shortened),
          decision: 'truncated',
          reason: `cut from ${tokens} tokens to fit the ${name} budget (${budget})`,
        });
        continue;
      }
    }
    notes.push({
      section: name,
      ref: item.ref,
      tokens,
      decision: 'dropped',
      reason: `over the ${name} budget (${budget} tokens)`,
    });
  }
  const empty = kept.length === (options.header ? 1 : 0);
  return { text: empty ? '' : kept.join('\n'), notes };
}

/** Fits items inside a wrapper (heading, fence): refits with less room until the wrapped text fits. */
function fitWrapped(
  counter: TokenCounter,
  name: PackSection,
  budget: number,
  items: readonly TextItem[],
  wrap: (text: string) => string,
  note: Note,
): string {
  let room = budget - counter.count(wrap(''));
  for (;;) {
    const fitted = fitText(counter, name, room, items, { cut: false });
    const text = fitted.text === '' ? '' : wrap(fitted.text);
    const over = counter.count(text) - budget;
    if (over <= 0 || room <= 0) {
      for (const item of fitted.notes) note(item);
      return over <= 0 ? text : '';
    }
    room -= over;
  }
}

/** The longest start of `text` (marked as cut) that keeps the joined section within `budget`. */
function shortenToFit(counter: TokenCounter, text: string, kept: readonly string[], budget: number): string {
  const marker = ' […cut]';
  let room = budget - counter.count([...kept, marker].join('\n'));
  while (room > 0) {
    const candidate = `${counter.truncate(text, room)}${marker}`;
    if (counter.count([...kept, candidate].join('\n')) <= budget) return candidate;
    room -= 1;
  }
  return '';
}

function memoryText(input: PackInput, note: Note): string {
  const { counter, budgets, limits } = input;
  const items = input.memories.map((memory) => ({
    ref: `memory:${memory.id}`,
    text: `- ${memory.kind ? `[${memory.kind}] ` : ''}${memory.text.replace(/\s+/g, ' ').trim()}`,
  }));
  for (const extra of items.slice(limits.maxMemorySnippets)) {
    note({
      section: 'memory',
      ref: extra.ref,
      tokens: counter.count(extra.text),
      decision: 'dropped',
      reason: `beyond maxMemorySnippets (${limits.maxMemorySnippets})`,
    });
  }
  const kept = items.slice(0, limits.maxMemorySnippets);
  if (kept.length === 0) return '';
  const wrap = (lines: string) => `## What you remember\n${fenceData('long-term memory', lines)}`;
  return fitWrapped(counter, 'memory', budgets.memory, kept, wrap, note);
}

function skillsText(input: PackInput, note: Note): string {
  const { counter, budgets, limits } = input;
  const cards = input.skillCards.map((card) => ({
    ref: `skill:${card.name}`,
    text: `- ${card.name}: ${card.description}`,
  }));
  for (const extra of cards.slice(limits.maxSkillCards)) {
    note({
      section: 'skills',
      ref: extra.ref,
      tokens: counter.count(extra.text),
      decision: 'dropped',
      reason: `beyond maxSkillCards (${limits.maxSkillCards})`,
    });
  }
  const header = '## Skills you can draw on';
  const cardText = fitText(counter, 'skills', budgets.skills, cards.slice(0, limits.maxSkillCards), {
    header,
    cut: false,
  });
  cardText.notes.forEach(note);
  const parts = cardText.text === '' ? [] : [cardText.text];
  input.skillExcerpts.forEach((skill, index) => {
    const ref = `skill:${skill.name}#excerpt`;
    if (index >= limits.maxSkillExcerpts) {
      note({
        section: 'skills',
        ref,
        tokens: 0,
        decision: 'dropped',
        reason: `beyond maxSkillExcerpts (${limits.maxSkillExcerpts})`,
      });
      return;
    }
    const heading = `### Skill: ${skill.name}`;
    const room = budgets.skills - counter.count([...parts, heading, ''].join('\n\n'));
    const excerpt =
      room > 0 ? skill.excerpt(room, (text) => counter.count(text)) : { text: '', truncated: true };
    const text = `${heading}\n${excerpt.text}`;
    if (excerpt.text === '' || counter.count([...parts, text].join('\n\n')) > budgets.skills) {
      note({
        section: 'skills',
        ref,
        tokens: 0,
        decision: 'dropped',
        reason: 'no room left in the skills budget',
      });
      return;
    }
    parts.push(text);
    note({
      section: 'skills',
      ref,
      tokens: counter.count(text),
      decision: excerpt.truncated ? 'truncated' : 'included',
      ...(excerpt.truncated ? { reason: 'cut at a section boundary to fit the skills budget' } : {}),
    });
  });
  return parts.join('\n\n');
}

/** A tool schema as the model needs it: its id, the first line of its description, its input schema. */
function minimalTool(tool: ToolSpec): ToolSpec {
  const description = tool.description.split('\n', 1)[0]?.slice(0, 300) ?? '';
  return { name: tool.name, description, inputSchema: tool.inputSchema };
}

function toolTokens(counter: TokenCounter, tool: ToolSpec): number {
  return counter.count(JSON.stringify(tool));
}

function fitTools(input: PackInput, note: Note): ToolSpec[] {
  const kept: ToolSpec[] = [];
  let used = 0;
  for (const tool of input.tools.map(minimalTool)) {
    const tokens = toolTokens(input.counter, tool);
    if (used + tokens <= input.budgets.tools) {
      kept.push(tool);
      used += tokens;
      note({ section: 'tools', ref: `tool:${tool.name}`, tokens, decision: 'included' });
    } else {
      note({
        section: 'tools',
        ref: `tool:${tool.name}`,
        tokens,
        decision: 'dropped',
        reason: `over the tools budget (${input.budgets.tools} tokens)`,
      });
    }
  }
  return kept;
}

function toolsText(tools: readonly ToolSpec[]): string {
  return tools.map((tool) => `- ${tool.name}: ${tool.description}`).join('\n');
}

export function messageTokens(counter: TokenCounter, messages: readonly ChatMessage[]): number {
  let tokens = 0;
  for (const message of messages) {
    tokens += messageOverheadTokens + counter.count(message.content);
    if (message.role === 'assistant' && message.toolCalls && message.toolCalls.length > 0) {
      tokens += counter.count(JSON.stringify(message.toolCalls));
    }
  }
  return tokens;
}

/**
 * The current turn within `budget`: the input and the latest step are kept whenever they can be; to
 * make room, older tool outputs of the turn are masked first, then older steps dropped, then the
 * latest step's outputs masked, and last the input itself cut.
 */
function fitCurrentTurn(
  counter: TokenCounter,
  units: readonly ConversationUnit[],
  budget: number,
  note: Note,
): ChatMessage[] {
  const usable = units.filter((unit) => {
    if (!unit.unusable) return true;
    note({ section: 'input', ref: unit.ref, tokens: 0, decision: 'dropped', reason: unit.unusable });
    return false;
  });
  const state = usable.map((unit) => ({ unit, form: 'full' as 'full' | 'masked' | 'dropped', cut: '' }));
  const messagesOf = (entry: (typeof state)[number]): ChatMessage[] => {
    if (entry.form === 'dropped') return [];
    if (entry.cut !== '') return [{ ...(entry.unit.messages[0] as ChatMessage), content: entry.cut }];
    return entry.form === 'masked' ? (entry.unit.masked ?? entry.unit.messages) : entry.unit.messages;
  };
  const total = () => state.reduce((sum, entry) => sum + messageTokens(counter, messagesOf(entry)), 0);
  const first = state[0];
  const latest = state.length > 1 ? state.at(-1) : undefined;
  const middle = state.slice(1, latest ? -1 : undefined);
  for (const entry of middle) {
    if (total() <= budget) break;
    if (entry.unit.masked) entry.form = 'masked';
  }
  for (const entry of middle) {
    if (total() <= budget) break;
    entry.form = 'dropped';
  }
  if (latest && total() > budget && latest.unit.masked) latest.form = 'masked';
  if (latest && total() > budget) latest.form = 'dropped';
  if (first && total() > budget) {
    const message = first.unit.messages[0] as ChatMessage;
    const room = budget - (total() - messageTokens(counter, [message])) - messageOverheadTokens;
    first.cut = room > 0 ? counter.truncate(message.content, room) : '';
    if (first.cut === '' || total() > budget) first.form = 'dropped';
  }
  for (const entry of state) {
    const tokens = messageTokens(counter, messagesOf(entry));
    const full = messageTokens(counter, entry.unit.messages);
    if (entry.form === 'dropped') {
      note({
        section: 'input',
        ref: entry.unit.ref,
        tokens: full,
        decision: 'dropped',
        reason: `no room in the ${budget} tokens left for the current turn`,
      });
    } else if (entry.form === 'masked' || entry.cut !== '') {
      note({
        section: 'input',
        ref: entry.unit.ref,
        tokens,
        decision: 'truncated',
        reason:
          entry.cut !== ''
            ? `input cut from ${full} tokens to fit the ${budget} left for the current turn`
            : 'tool output masked to one line to fit the current turn',
      });
    } else {
      note({ section: 'input', ref: entry.unit.ref, tokens, decision: 'included' });
    }
  }
  return state.flatMap(messagesOf);
}

/**
 * The recent window: whole units from the newest back while they fit, a tool group masked when only
 * that fits; it stops at the first unit that does not fit, so the window has no gaps, and it starts at
 * a user message.
 */
function fitWindow(
  counter: TokenCounter,
  units: readonly ConversationUnit[],
  budget: number,
  note: Note,
): ChatMessage[] {
  const kept: { unit: ConversationUnit; messages: ChatMessage[]; masked: boolean }[] = [];
  let used = 0;
  let full = false;
  for (let index = units.length - 1; index >= 0; index--) {
    const unit = units[index] as ConversationUnit;
    const tokens = messageTokens(counter, unit.messages);
    if (unit.unusable) {
      note({ section: 'recent', ref: unit.ref, tokens, decision: 'dropped', reason: unit.unusable });
      continue;
    }
    if (!full && used + tokens <= budget) {
      kept.push({ unit, messages: unit.messages, masked: false });
      used += tokens;
      continue;
    }
    const maskedTokens = unit.masked ? messageTokens(counter, unit.masked) : Number.POSITIVE_INFINITY;
    if (!full && used + maskedTokens <= budget) {
      kept.push({ unit, messages: unit.masked as ChatMessage[], masked: true });
      used += maskedTokens;
      continue;
    }
    full = true;
    note({
      section: 'recent',
      ref: unit.ref,
      tokens,
      decision: 'dropped',
      reason: `older than what fits the window (${budget} tokens)`,
    });
  }
  kept.reverse();
  while (kept.length > 0 && kept[0]?.messages[0]?.role !== 'user') {
    const dropped = kept.shift() as (typeof kept)[number];
    note({
      section: 'recent',
      ref: dropped.unit.ref,
      tokens: messageTokens(counter, dropped.messages),
      decision: 'dropped',
      reason: 'the window starts at a user message',
    });
  }
  for (const entry of kept) {
    note({
      section: 'recent',
      ref: entry.unit.ref,
      tokens: messageTokens(counter, entry.messages),
      decision: entry.masked ? 'truncated' : 'included',
      ...(entry.masked ? { reason: 'tool output masked to one line to fit the window' } : {}),
    });
  }
  return kept.flatMap((entry) => entry.messages);
}

/** Messages as the sections of `context show` print them. */
export function renderMessages(messages: readonly ChatMessage[]): string {
  return messages
    .map((message) => {
      if (message.role === 'assistant' && message.toolCalls?.length) {
        const calls = message.toolCalls.map((call) => `${call.name} ${JSON.stringify(call.arguments)}`);
        return `assistant: ${message.content ? `${message.content}\n` : ''}→ ${calls.join('\n→ ')}`;
      }
      return `${message.role}: ${message.content}`;
    })
    .join('\n');
}
