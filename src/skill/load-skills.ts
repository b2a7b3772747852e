import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PyclawError, toolIdMatches } from '../core/index.js';
import type { HomePaths } from '../storage/index.js';
import { SkillCache } from './skill-cache.js';
import { parseSkillFile, type Skill, skillFileName } from './skill-file.js';

/** Where skills are looked for: PYCLAW_HOME/skills, then the workspace's ./skills (which wins a tie). */
export function skillDirs(home: Pick<HomePaths, 'skills'>, workspace: string = process.cwd()): string[] {
  return [home.skills, resolve(workspace, 'skills')];
}

export interface LoadSkillsOptions {
  /** A file where parsed skills are kept between processes (`HomePaths.skillCache`). */
  cacheFile?: string;
}

/**
 * Every skill in `dirs` (each folder holding a SKILL.md), sorted by name. A missing dir holds none; a
 * skill in a later dir replaces one of the same name from an earlier dir. A bad SKILL.md is an error.
 */
export function loadSkills(dirs: readonly string[], options: LoadSkillsOptions = {}): Skill[] {
  const cache = options.cacheFile === undefined ? undefined : SkillCache.open(options.cacheFile);
  const byName = new Map<string, Skill>();
  const scanned = dirs.map((dir) => resolve(dir));
  for (const dir of scanned) {
    for (const folder of skillFolders(dir)) {
      const skill = cache ? cachedSkill(join(dir, folder), cache) : readSkill(join(dir, folder));
      if (skill) byName.set(skill.name, skill);
    }
  }
  cache?.save(scanned);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function cachedSkill(dir: string, cache: SkillCache): Skill | undefined {
  const file = join(dir, skillFileName);
  const stat = fileStat(file);
  if (!stat?.isFile()) return undefined;
  const cached = cache.get(file, stat);
  if (cached) return cached;
  const skill = readSkill(dir);
  if (skill) cache.set(file, stat, skill);
  return skill;
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

function fileStat(file: string) {
  try {
    return statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new PyclawError('skill.read', `cannot read ${file}: ${(error as Error).message}`);
  }
}

function skillFolders(dir: string): string[] {
  // most homes and workspaces have no skills folder: looking first spares a thrown error per turn
  if (!existsSync(dir)) return [];
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
