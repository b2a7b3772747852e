import type { SkillCardInput, SkillExcerptSource } from '../context/index.js';
import { eventPayloadSchemas, type NewEvent, type StoredEvent } from '../core/index.js';
import { rankSkills, type Skill, skillCard, skillExcerpt, skillSelectedPayload } from '../skill/index.js';

/** Skill cards selected per turn, and how many of them also bring an excerpt (the pack's limits apply too). */
const cardsPerTurn = 5;
const excerptsPerTurn = 1;

/** The `skill.selected` events for the skills that best match the turn's input, best first. */
export function skillSelections(skills: readonly Skill[], input: string): NewEvent<'skill.selected'>[] {
  return rankSkills(input, skills, cardsPerTurn).map((ranked, index) => ({
    type: 'skill.selected',
    actor: 'runtime',
    payload: skillSelectedPayload(ranked, index + 1, index < excerptsPerTurn),
  }));
}

/**
 * The skills this turn selected, as the pack's skill section takes them: their cards, and an excerpt
 * source for each selected with an excerpt (fitted to the pack's budget, cut at section boundaries).
 * Read from the turn's `skill.selected` events, so a resumed turn shows the model the same skills.
 */
export function selectedSkills(
  skills: readonly Skill[],
  events: readonly StoredEvent[],
): { cards: SkillCardInput[]; excerpts: SkillExcerptSource[] } {
  const selected = events.flatMap((event) => {
    if (event.type !== 'skill.selected') return [];
    const payload = eventPayloadSchemas['skill.selected'].parse(event.payload);
    const skill = skills.find((candidate) => candidate.name === payload.skill);
    return skill ? [{ skill, excerpt: payload.excerpt === true }] : [];
  });
  return {
    cards: selected.map(({ skill }) => {
      const card = skillCard(skill);
      return { name: card.name, description: card.description, version: card.hash };
    }),
    excerpts: selected
      .filter(({ excerpt }) => excerpt)
      .map(({ skill }) => ({
        name: skill.name,
        version: skill.hash,
        excerpt: (budget: number, measure: (text: string) => number) => skillExcerpt(skill, budget, measure),
      })),
  };
}
