import type { Skill } from './skill-file.js';

/**
 * BM25F over each skill's name, tags and description: a query word that names the skill counts more
 * than one in its tags, which counts more than one in its description.
 */
const fieldWeights = { name: 3, tags: 2, description: 1 } as const;
const k1 = 1.2;
const b = 0.75;

const stopWords = new Set(
  (
    'a an and are as at be but by can do does for from has have how i if in into is it its me my of on or ' +
    'our please should so that the their then there these this to use used using was we what when where ' +
    'which who why will with you your'
  ).split(' '),
);

/** Lowercased words without stop words, each cut to a crude stem so "deploys" finds "deploy". */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length === 0 || stopWords.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}

function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

interface Posting {
  doc: number;
  /** Field-weighted term frequency. */
  weight: number;
}

/** An inverted index over skills, built once and reused for every query over the same skills. */
export interface SkillIndex {
  skills: readonly Skill[];
  postings: Map<string, Posting[]>;
  /** Field-weighted length of each skill's text, divided by the average. */
  relativeLength: Float64Array;
}

export function indexSkills(skills: readonly Skill[]): SkillIndex {
  const postings = new Map<string, Posting[]>();
  const lengths = new Float64Array(skills.length);
  skills.forEach((skill, doc) => {
    const weights = new Map<string, number>();
    const fields = {
      name: searchTerms(skill.name),
      tags: searchTerms(skill.tags.join(' ')),
      description: searchTerms(skill.description),
    };
    for (const [field, terms] of Object.entries(fields) as [keyof typeof fieldWeights, string[]][]) {
      const weight = fieldWeights[field];
      lengths[doc] = (lengths[doc] ?? 0) + weight * terms.length;
      for (const term of terms) weights.set(term, (weights.get(term) ?? 0) + weight);
    }
    for (const [term, weight] of weights) {
      const list = postings.get(term);
      if (list) list.push({ doc, weight });
      else postings.set(term, [{ doc, weight }]);
    }
  });
  const average = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, skills.length) || 1;
  return { skills, postings, relativeLength: lengths.map((length) => length / average) };
}

export interface RankedSkill {
  skill: Skill;
  score: number;
}

const indexes = new WeakMap<readonly Skill[], SkillIndex>();
/** Indexes by the skills' files and content hashes: each turn loads its skills afresh, mostly unchanged. */
const indexesByContent = new Map<string, SkillIndex>();
const indexesByContentLimit = 8;

/**
 * The `n` skills that best match `query`, best first (ties by name); skills sharing no word with the
 * query are left out. The index over an array of skills is built on its first query and kept.
 */
export function rankSkills(query: string, skills: readonly Skill[] | SkillIndex, n: number): RankedSkill[] {
  const index = 'postings' in skills ? skills : cachedIndex(skills);
  const count = index.skills.length;
  const scores = new Float64Array(count);
  const matched: number[] = [];
  for (const term of new Set(searchTerms(query))) {
    const list = index.postings.get(term);
    if (!list) continue;
    const idf = Math.log(1 + (count - list.length + 0.5) / (list.length + 0.5));
    for (const { doc, weight } of list) {
      if (scores[doc] === 0) matched.push(doc);
      const norm = k1 * (1 - b + b * (index.relativeLength[doc] ?? 1));
      scores[doc] = (scores[doc] ?? 0) + (idf * (weight * (k1 + 1))) / (weight + norm);
    }
  }
  return topN(matched, scores, index.skills, n);
}

function cachedIndex(skills: readonly Skill[]): SkillIndex {
  const cached = indexes.get(skills);
  if (cached) return cached;
  const key = skills.map((skill) => `${skill.file}\0${skill.hash}`).join('\n');
  const index = indexesByContent.get(key) ?? indexSkills(skills);
  indexes.set(skills, index);
  indexesByContent.delete(key);
  indexesByContent.set(key, index);
  for (const oldest of indexesByContent.keys()) {
    if (indexesByContent.size <= indexesByContentLimit) break;
    indexesByContent.delete(oldest);
  }
  return index;
}

function topN(docs: number[], scores: Float64Array, skills: readonly Skill[], n: number): RankedSkill[] {
  const ranked = docs.map((doc) => ({ skill: skills[doc] as Skill, score: scores[doc] ?? 0 }));
  ranked.sort((x, y) => y.score - x.score || x.skill.name.localeCompare(y.skill.name));
  return ranked.slice(0, Math.max(0, n));
}
