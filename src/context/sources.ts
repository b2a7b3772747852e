/**
 * What the packer takes from long-term memory and skills. Kept this small on purpose: the packer does
 * not know how memories are searched or skills ranked, only what each offers the prompt.
 */

export interface MemorySnippet {
  id: string;
  text: string;
  /** fact, preference, lesson, procedure… */
  kind?: string;
}

export interface SkillCardInput {
  name: string;
  description: string;
  /** The content hash of the skill the card came from. */
  version?: string;
}

/** A skill whose body may be excerpted; `excerpt` fits it to a budget, cut where the skill allows. */
export interface SkillExcerptSource {
  name: string;
  version?: string;
  excerpt(budget: number, measure: (text: string) => number): { text: string; truncated: boolean };
}
