import { homedir } from 'node:os';
import pc from 'picocolors';
import { PyclawError } from '../../core/index.js';
import { addSkill, loadSkills, type Skill, skillCard, skillDirs } from '../../skill/index.js';
import { resolveHome } from '../../storage/index.js';
import { printJson, printTable } from '../output.js';
import type { JsonOption } from '../with-app.js';

function installedSkills(): Skill[] {
  const home = resolveHome(process.env);
  return loadSkills(skillDirs(home), { cacheFile: home.skillCache });
}

/** `pyclaw skills list`: every skill in PYCLAW_HOME/skills and ./skills, with its card line. */
export function list(options: JsonOption): void {
  const skills = installedSkills();
  if (options.json) {
    printJson(skills.map(summary));
    return;
  }
  printTable(
    skills,
    [
      { header: 'SKILL', value: (s) => s.name },
      { header: 'VERSION', value: (s) => s.declaredVersion ?? '' },
      { header: 'HASH', value: (s) => s.hash.slice(0, 12) },
      { header: 'TAGS', value: (s) => s.tags.join(', ') },
      { header: 'DESCRIPTION', value: (s) => skillCard(s).description },
    ],
    'no skills: add one with `pyclaw skills add <folder>` or put one in ./skills',
  );
}

/** `pyclaw skills show <name>`: a skill's fields, where it lives, and its playbook. */
export function show(name: string, options: JsonOption): void {
  const skill = installedSkills().find((candidate) => candidate.name === name);
  if (!skill) {
    throw new PyclawError('skill.unknown', `no skill named "${name}"`, {
      hint: 'see `pyclaw skills list`',
    });
  }
  if (options.json) {
    printJson({ ...summary(skill), body: skill.body });
    return;
  }
  const rows: [string, string | undefined][] = [
    ['skill', skill.name],
    ['version', skill.declaredVersion],
    ['hash', skill.hash],
    ['file', tildePath(skill.file)],
    ['tags', skill.tags.join(', ')],
    ['tools', skill.tools.join(', ')],
    ['license', skill.license],
    ['compat', skill.compatibility],
  ];
  for (const [label, value] of rows) {
    if (value) process.stdout.write(`${pc.bold(label.padEnd(8))}  ${value}\n`);
  }
  process.stdout.write(`\n${skill.description}\n\n${skill.body.trim()}\n`);
}

/** `pyclaw skills add <path>`: checks a skill folder and copies it into PYCLAW_HOME/skills. */
export function add(path: string, options: { replace?: boolean }): void {
  const skill = addSkill(path, resolveHome(process.env).skills, options);
  process.stdout.write(
    `${pc.green('✓')} added skill "${skill.name}" (${skill.hash.slice(0, 12)}) to ${tildePath(skill.file)}\n`,
  );
}

function summary(skill: Skill) {
  const { body: _body, ...fields } = skill;
  return fields;
}

function tildePath(path: string): string {
  const home = homedir();
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}
