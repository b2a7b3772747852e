import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PyclawError, toolIdMatches } from '../core/index.js';
import type { HomePaths } from '../storage/index.js';
import { parseSkillFile, type Skill, skillFileName } from './skill-file.js';

/** Where skills are looked for: PYCLAW_HOME/skills, then the workspace's ./skills (which wins a tie). */
export function skillDirs(home: Pick<HomePaths, 'skills'>, workspace: string = process.cwd()): string[] {
  return [home.skills, resolve(workspace, 'skills')];
}

/**
 * Every skill in `dirs` (each folder holding a SKILL.md), sorted by name. A missing dir holds none; a
 * skill in a later dir replaces one of the same name from an earlier dir. A bad SKILL.md is an error.
 */
export function loadSkills(dirs: readonly string[]): Skill[] {
  const byName = new Map<string, Skill>();
  for (const dir of dirs) {
    for (const folder of skillFolders(dir)) {
      const skill = readSkill(join(dir, folder));
      if (skill) byName.set(skill.name, skill);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The skill in folder `dir`, or undefined when the folder has no SKILL.md. */
export function readSkill(dir: string): Skill | undefined {
  const file = resolve(dir, skillFileName);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new PyclawError('skill.read', `cannot read ${file}: ${(error as Error).message}`);
  }
  return parseSkillFile(file, text);
}

/** The skills an agent may draw on: those whose name matches one of its `skills:` patterns (`*` for all). */
export function skillsForAgent(skills: readonly Skill[], patterns: readonly string[]): Skill[] {
  return skills.filter((skill) => patterns.some((pattern) => toolIdMatches(pattern, skill.name)));
}

function skillFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isSymbolicLink()))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new PyclawError('skill.read', `cannot list skills in ${dir}: ${(error as Error).message}`);
  }
}
