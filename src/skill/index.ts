export { addSkill } from './add-skill.js';
export { type SkillCard, skillCard, skillSelectedPayload } from './card.js';
export { type Measure, type SkillExcerpt, skillExcerpt } from './excerpt.js';
export { type LoadSkillsOptions, loadSkills, readSkill, skillDirs, skillsForAgent } from './load-skills.js';
export { indexSkills, type RankedSkill, rankSkills, type SkillIndex, searchTerms } from './rank.js';
export { parseSkillFile, type Skill, skillFileName } from './skill-file.js';
