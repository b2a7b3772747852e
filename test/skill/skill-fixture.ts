import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `<dir>/<folder>/SKILL.md` with the given front matter lines and body; returns the file. */
export function writeSkill(dir: string, folder: string, frontMatter: string, body = '# Steps\n1. Do it.\n') {
  return writeSkillText(dir, folder, `---\n${frontMatter.trim()}\n---\n${body}`);
}

/** Writes `<dir>/<folder>/SKILL.md` with exactly `text`; returns the file. */
export function writeSkillText(dir: string, folder: string, text: string) {
  mkdirSync(join(dir, folder), { recursive: true });
  const file = join(dir, folder, 'SKILL.md');
  writeFileSync(file, text);
  return file;
}

/** A skill with just a name and a description (and optional extra front matter lines). */
export function simpleSkill(dir: string, name: string, description: string, extra = '', body?: string) {
  return writeSkill(dir, name, `name: ${name}\ndescription: ${description}\n${extra}`, body);
}
