import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusQuery, skillCorpus } from '../../bench/skill-corpus.js';
import { indexSkills, parseSkillFile, rankSkills, type Skill } from '../../src/skill/index.js';

function skill(name: string, description: string, tags: string[] = []): Skill {
  const text = `---\nname: ${name}\ndescription: ${description}\ntags: [${tags.join(', ')}]\n---\n`;
  return parseSkillFile(join('/skills', name, 'SKILL.md'), text);
}

const corpus = skillCorpus();
const corpusSkills = corpus.map((entry) =>
  parseSkillFile(join('/skills', entry.name, 'SKILL.md'), entry.text),
);

describe('ranking skills against a turn', () => {
  it('puts the skill a request is about first among 1,000, for every way of asking', () => {
    const index = indexSkills(corpusSkills);
    let misses = 0;
    corpus.forEach((entry, i) => {
      const [best] = rankSkills(corpusQuery(entry, i), index, 3);
      if (best?.skill.name !== entry.name) misses++;
    });
    expect(misses).toBe(0);
  });

  it('weighs a word in the name above the same word in tags, and tags above the description', () => {
    const skills = [
      skill('notes-helper', 'Keeps notes about a postgres database.'),
      skill('db-helper', 'Keeps notes.', ['postgres']),
      skill('postgres-helper', 'Keeps notes.'),
    ];
    expect(rankSkills('postgres', skills, 3).map((r) => r.skill.name)).toEqual([
      'postgres-helper',
      'db-helper',
      'notes-helper',
    ]);
  });

  it('matches word forms and ignores case, punctuation and filler words', () => {
    const skills = [
      skill('deploy-app', 'Deploys the application to production.'),
      skill('write-docs', 'Writes docs.'),
    ];
    expect(rankSkills('DEPLOYING, please!', skills, 5).map((r) => r.skill.name)).toEqual(['deploy-app']);
    expect(rankSkills('what is the', skills, 5)).toEqual([]);
  });

  it('returns at most n, best first with ties broken by name, and nothing for no shared word', () => {
    const skills = ['b-report', 'a-report', 'c-report'].map((name) => skill(name, 'Makes a report.'));
    const ranked = rankSkills('report', skills, 2);
    expect(ranked.map((r) => r.skill.name)).toEqual(['a-report', 'b-report']);
    expect(ranked[0]?.score).toBeGreaterThan(0);
    expect(rankSkills('kubernetes', skills, 2)).toEqual([]);
    expect(rankSkills('report', skills, 0)).toEqual([]);
  });

  it('gives the same answer from an array of skills as from a prebuilt index', () => {
    const query = 'rotate the certificates';
    expect(rankSkills(query, corpusSkills, 5)).toEqual(rankSkills(query, indexSkills(corpusSkills), 5));
  });
});
