import type { Skill } from './skill-file.js';

/** How big a text is, in the unit a budget is given in: characters by default, or a token counter. */
export type Measure = (text: string) => number;

const characters: Measure = (text) => text.length;

interface Section {
  /** The heading line without its #s; empty for text before the first heading. */
  heading: string;
  text: string;
}

export interface SkillExcerpt {
  text: string;
  /** The excerpt's size by the measure used. */
  size: number;
  /** Whether anything of the body was left out. */
  truncated: boolean;
  /** Headings of the sections left out, in order. */
  omitted: string[];
}

/**
 * The start of a skill's body that fits `budget` (in characters, or in whatever `measure` counts),
 * cut only between sections (at a markdown heading outside code fences). When even the first section is
 * too big, it is cut at the last line that fits.
 */
export function skillExcerpt(skill: Skill, budget: number, measure: Measure = characters): SkillExcerpt {
  const sections = splitSections(skill.body);
  const kept: string[] = [];
  let size = 0;
  for (const section of sections) {
    const next = measure(section.text);
    if (size + next > budget) break;
    kept.push(section.text);
    size += next;
  }
  // Token counts are not quite additive: measure the whole and give back sections until it fits.
  while (kept.length > 0 && measure(kept.join('')) > budget) kept.pop();
  const first = sections[0];
  if (kept.length === 0 && first) {
    const cut = cutAtLine(first.text, budget, measure);
    return excerpt(cut, sections.slice(cut === '' ? 0 : 1), true, measure);
  }
  return excerpt(kept.join(''), sections.slice(kept.length), kept.length < sections.length, measure);
}

function excerpt(text: string, omitted: Section[], truncated: boolean, measure: Measure): SkillExcerpt {
  const trimmed = text.trimEnd();
  return { text: trimmed, size: measure(trimmed), truncated, omitted: omitted.map((s) => s.heading) };
}

function splitSections(body: string): Section[] {
  const sections: Section[] = [];
  let current: Section = { heading: '', text: '' };
  let fence: string | undefined;
  for (const line of body.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) fence = fence ? undefined : marker;
    const heading = fence === undefined ? /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line.trimEnd()) : null;
    if (heading && !marker) {
      if (current.text.trim() !== '') sections.push(current);
      current = { heading: heading[1] ?? '', text: '' };
    }
    current.text += line;
  }
  if (current.text.trim() !== '') sections.push(current);
  return sections;
}

/** The longest run of whole lines from the start of `text` that fits `budget`. */
function cutAtLine(text: string, budget: number, measure: Measure): string {
  const lines = text.split('\n');
  let fits = 0;
  let tooMany = lines.length + 1;
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2);
    if (measure(lines.slice(0, middle).join('\n')) <= budget) fits = middle;
    else tooMany = middle;
  }
  return lines.slice(0, fits).join('\n');
}
