import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PyclawError } from '../core/index.js';
import { readSkill } from './load-skills.js';
import type { Skill } from './skill-file.js';

/**
 * Copies the skill folder at `source` (or the folder of the SKILL.md it names) into `skillsDir`, after
 * checking its SKILL.md; an installed skill of the same name is replaced only with `replace`. The copy
 * lands whole or not at all.
 */
export function addSkill(source: string, skillsDir: string, options: { replace?: boolean } = {}): Skill {
  const folder = resolve(isFile(source) ? dirname(source) : source);
  const skill = readSkill(folder);
  if (!skill) {
    throw new PyclawError('skill.not-found', `${folder} holds no SKILL.md`, {
      hint: 'give the path of a skill folder (one with a SKILL.md) or of its SKILL.md',
    });
  }
  const target = join(skillsDir, skill.name);
  if (existsSync(target) && !options.replace) {
    throw new PyclawError('skill.exists', `a skill named "${skill.name}" is already installed at ${target}`, {
      hint: 'pass --replace to install this one over it',
    });
  }
  mkdirSync(skillsDir, { recursive: true });
  const staging = join(skillsDir, `.${basename(target)}.adding-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    cpSync(folder, staging, { recursive: true, dereference: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return readSkill(target) as Skill;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
