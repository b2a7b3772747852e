import type { EventPayload } from '../core/index.js';
import type { RankedSkill } from './rank.js';
import type { Skill } from './skill-file.js';

/** What the model sees of a skill it may draw on: its name and one line saying what it is for. */
export interface SkillCard {
  name: string;
  description: string;
  /** The content hash of the SKILL.md the card came from. */
  hash: string;
}

const cardLineLimit = 200;

export function skillCard(skill: Skill): SkillCard {
  return { name: skill.name, description: oneLine(skill.description), hash: skill.hash };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= cardLineLimit ? line : `${line.slice(0, cardLineLimit - 1)}…`;
}

/** The payload of a `skill.selected` event: which skill, at which content version, and why. */
export function skillSelectedPayload(
  ranked: RankedSkill,
  rank: number,
  excerpt: boolean,
): EventPayload<'skill.selected'> {
  const { skill, score } = ranked;
  return {
    skill: skill.name,
    version: skill.hash,
    declaredVersion: skill.declaredVersion,
    score: Number(score.toFixed(4)),
    rank,
    excerpt,
    reason: `ranked ${rank} for the turn's input${excerpt ? '; its excerpt is in the prompt' : ''}`,
  };
}
