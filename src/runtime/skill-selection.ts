import { eventPayloadSchemas, type NewEvent, type StoredEvent } from '../core/index.js';
import { rankSkills, type Skill, skillCard, skillExcerpt, skillSelectedPayload } from '../skill/index.js';

/** Skill cards per turn, how many of them also bring an excerpt, and the excerpt's size in characters. */
const cardsPerTurn = 5;
const excerptsPerTurn = 1;
const excerptChars = 4_000;

/** The `skill.selected` events for the skills that best match the turn's input, best first. */
export function skillSelections(skills: readonly Skill[], input: string): NewEvent<'skill.selected'>[] {
  return rankSkills(input, skills, cardsPerTurn).map((ranked, index) => ({
    type: 'skill.selected',
    actor: 'runtime',
    payload: skillSelectedPayload(ranked, index + 1, index < excerptsPerTurn),
  }));
}

/**
 * The system prompt with the skills this turn selected: their cards, and the excerpt of the best. Read
 * from the turn's `skill.selected` events, so a resumed turn shows the model the same skills.
 */
export function withSelectedSkills(
  systemPrompt: string,
  skills: readonly Skill[],
  events: readonly StoredEvent[],
): string {
  const selected = events.flatMap((event) => {
    if (event.type !== 'skill.selected') return [];
    const payload = eventPayloadSchemas['skill.selected'].parse(event.payload);
    const skill = skills.find((candidate) => candidate.name === payload.skill);
    return skill ? [{ skill, excerpt: payload.excerpt === true }] : [];
  });
  if (selected.length === 0) return systemPrompt;
  const cards = selected.map(({ skill }) => {
    const card = skillCard(skill);
    return `- ${card.name}: ${card.description}`;
  });
  const excerpts = selected
    .filter(({ excerpt }) => excerpt)
    .map(({ skill }) => `### Skill: ${skill.name}\n${skillExcerpt(skill, excerptChars).text}`);
  return [
    systemPrompt,
    `## Skills\nPlaybooks for tasks like this one; follow one when it fits.\n${cards.join('\n')}`,
    ...excerpts,
  ].join('\n\n');
}
