import { join } from 'node:path';
import { indexSkills, loadSkills, rankSkills, skillExcerpt } from '../src/skill/index.js';
import { median, medianMs, type Result, timeMs } from './measure.js';
import { corpusQuery, skillCorpus, writeSkillCorpus } from './skill-corpus.js';

const QUERY_ROUNDS = 5;

/**
 * Skill selection over 1,000 SKILL.md folders on disk: loading them, indexing, ranking per turn (p50 and
 * p95 over one query per skill, repeated) and how often the skill a request is about comes first.
 */
export function skillRanking(dir: string): Result[] {
  const skillsDir = join(dir, 'skills');
  const corpus = skillCorpus();
  writeSkillCorpus(skillsDir, corpus);
  const loadMs = medianMs(3, () => loadSkills([skillsDir]));
  const cacheFile = join(dir, 'skills.cache.json');
  loadSkills([skillsDir], { cacheFile });
  const cachedLoadMs = medianMs(5, () => loadSkills([skillsDir], { cacheFile }));
  const skills = loadSkills([skillsDir]);
  const indexMs = medianMs(5, () => indexSkills(skills));
  const index = indexSkills(skills);
  const samples: number[] = [];
  let hits = 0;
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    corpus.forEach((entry, i) => {
      const query = corpusQuery(entry, i + round);
      let best: string | undefined;
      samples.push(timeMs(() => (best = rankSkills(query, index, 5)[0]?.skill.name)));
      if (best === entry.name) hits++;
    });
  }
  samples.sort((a, b) => a - b);
  const p95 = samples[Math.floor(samples.length * 0.95)] as number;
  const excerptMs = medianMs(200, () => skillExcerpt(skills[0] as (typeof skills)[0], 200));
  return [
    { name: 'skills: load 1,000 SKILL.md folders, parsing each', value: loadMs, unit: 'ms' },
    {
      name: 'skills: load 1,000 SKILL.md folders, from the cache',
      value: cachedLoadMs,
      unit: 'ms',
      target: { op: '<=', value: 150 },
    },
    { name: 'skills: index 1,000 skills', value: indexMs, unit: 'ms' },
    { name: 'skills: rank 1,000 p50', value: median(samples), unit: 'ms' },
    { name: 'skills: rank 1,000 p95', value: p95, unit: 'ms', target: { op: '<=', value: 5 } },
    {
      name: 'skills: right skill first (top-1)',
      value: hits / samples.length,
      unit: 'ratio',
      target: { op: '>=', value: 0.99 },
    },
    { name: 'skills: excerpt at a 200-char budget', value: excerptMs, unit: 'ms' },
  ];
}
