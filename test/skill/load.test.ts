import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PyclawError } from '../../src/core/index.js';
import { loadSkills, skillDirs, skillsForAgent } from '../../src/skill/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { simpleSkill, writeSkill, writeSkillText } from './skill-fixture.js';

const tempDir = useTempDirs();

function loadError(dirs: string[]): PyclawError {
  try {
    loadSkills(dirs);
  } catch (error) {
    if (error instanceof PyclawError) return error;
    throw error;
  }
  throw new Error('loadSkills accepted the skills');
}

describe('loading skills', () => {
  it('reads every skill folder from home and workspace; the workspace one wins a name clash', () => {
    const home = tempDir();
    const workspace = tempDir();
    simpleSkill(join(home, 'skills'), 'deploy-app', 'Deploy the app (home copy).');
    simpleSkill(join(home, 'skills'), 'write-tests', 'Write unit tests.');
    simpleSkill(join(workspace, 'skills'), 'deploy-app', 'Deploy the app (this project).');
    writeFileSync(join(workspace, 'skills', 'README.md'), 'not a skill');

    const skills = loadSkills(skillDirs({ skills: join(home, 'skills') }, workspace));

    expect(skills.map((skill) => [skill.name, skill.description])).toEqual([
      ['deploy-app', 'Deploy the app (this project).'],
      ['write-tests', 'Write unit tests.'],
    ]);
    expect(loadSkills([join(home, 'nowhere')])).toEqual([]);
  });

  it('understands the Agent Skills fields and PyClaw’s version, tags and tools', () => {
    const dir = tempDir();
    writeSkill(
      dir,
      'pdf-forms',
      `name: pdf-forms
description: >
  Fill PDF forms and merge PDFs.
  Use when the user hands you a PDF.
license: Apache-2.0
compatibility: needs poppler-utils
metadata:
  author: example-org
  version: "2.1"
allowed-tools: exec fs.read
tools: [fs.write]
tags: pdf, forms
x-other-agent: kept out of the way`,
      '# Fill a form\nRun pdftk.\n',
    );
    const [skill] = loadSkills([dir]);
    expect(skill).toMatchObject({
      name: 'pdf-forms',
      description: 'Fill PDF forms and merge PDFs. Use when the user hands you a PDF.',
      declaredVersion: '2.1',
      license: 'Apache-2.0',
      compatibility: 'needs poppler-utils',
      metadata: { author: 'example-org', version: '2.1' },
      tools: ['fs.write', 'exec', 'fs.read'],
      tags: ['pdf', 'forms'],
      body: '# Fill a form\nRun pdftk.\n',
      file: join(dir, 'pdf-forms', 'SKILL.md'),
    });
    expect(skill?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tracks versions by content hash: any edit of SKILL.md is a new version', () => {
    const dir = tempDir();
    const file = simpleSkill(dir, 'backup', 'Back up the database.', 'version: 1.0');
    const before = loadSkills([dir])[0];
    expect(before?.declaredVersion).toBe('1');
    writeFileSync(
      file,
      `${'---\nname: backup\ndescription: Back up the database.\nversion: 1.0\n---\n'}# Steps\n1. Stop writes.\n`,
    );
    const after = loadSkills([dir])[0];
    expect(after?.declaredVersion).toBe(before?.declaredVersion);
    expect(after?.hash).not.toBe(before?.hash);
  });

  it('keeps only the skills an agent’s patterns name', () => {
    const dir = tempDir();
    for (const name of ['git-commit', 'git-rebase', 'deploy']) simpleSkill(dir, name, `${name} things`);
    const skills = loadSkills([dir]);
    expect(skillsForAgent(skills, ['git-*']).map((skill) => skill.name)).toEqual([
      'git-commit',
      'git-rebase',
    ]);
    expect(skillsForAgent(skills, ['*'])).toHaveLength(3);
    expect(skillsForAgent(skills, [])).toEqual([]);
  });

  it.each([
    [
      'no front matter',
      (dir: string) => writeSkillText(dir, 'notes', '# just markdown\n'),
      /notes\/SKILL\.md: no YAML front matter/,
    ],
    [
      'a missing description',
      (dir: string) => writeSkill(dir, 'deploy', 'name: deploy'),
      /deploy\/SKILL\.md: description: is required/,
    ],
    [
      'a description that is not text',
      (dir: string) => writeSkill(dir, 'deploy', 'name: deploy\ndescription: 5'),
      /deploy\/SKILL\.md:3: description: must be text \(say what the skill does and when to use it\), not number/,
    ],
    [
      'an upper-case name',
      (dir: string) => writeSkill(dir, 'Deploy', 'name: Deploy\ndescription: d'),
      /Deploy\/SKILL\.md:2: name: uses a-z, 0-9 and single hyphens/,
    ],
    [
      'a name that differs from its folder',
      (dir: string) => writeSkill(dir, 'deploy', 'name: ship\ndescription: d'),
      /deploy\/SKILL\.md: name: "ship" does not match its folder "deploy"/,
    ],
    [
      'tags of the wrong type',
      (dir: string) => writeSkill(dir, 'deploy', 'name: deploy\ndescription: d\ntags: { a: 1 }'),
      /deploy\/SKILL\.md:4: tags: /,
    ],
    [
      'broken YAML',
      (dir: string) => writeSkill(dir, 'deploy', 'name: deploy\ndescription: [unclosed'),
      /deploy\/SKILL\.md:\d+: /,
    ],
  ])('refuses %s in one line naming the file and the field', (_what, write, message) => {
    const dir = tempDir();
    write(dir);
    const error = loadError([dir]);
    expect(error.code).toBe('skill.invalid');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});

describe('the skill cache', () => {
  it('reuses parsed skills across loads yet sees every edit, addition and removal', () => {
    const dir = tempDir();
    const cacheFile = join(tempDir(), 'skills.cache.json');
    const file = simpleSkill(dir, 'backup', 'Back up the database.');
    simpleSkill(dir, 'deploy', 'Deploy the app.');
    const first = loadSkills([dir], { cacheFile });
    expect(loadSkills([dir], { cacheFile })).toEqual(first);

    writeFileSync(file, '---\nname: backup\ndescription: Back up the database, then verify the dump.\n---\n');
    rmSync(join(dir, 'deploy'), { recursive: true });
    simpleSkill(dir, 'restore', 'Restore a dump.');
    const after = loadSkills([dir], { cacheFile });
    expect(after.map((skill) => [skill.name, skill.description])).toEqual([
      ['backup', 'Back up the database, then verify the dump.'],
      ['restore', 'Restore a dump.'],
    ]);
    expect(after[0]?.hash).not.toBe(first[0]?.hash);
  });

  it('ignores a damaged cache file and rebuilds it', () => {
    const dir = tempDir();
    const cacheFile = join(tempDir(), 'skills.cache.json');
    simpleSkill(dir, 'backup', 'Back up the database.');
    writeFileSync(cacheFile, '{"version": 1, "entries": ');
    expect(loadSkills([dir], { cacheFile }).map((skill) => skill.name)).toEqual(['backup']);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8')).version).toBe(1);
  });

  it('still refuses a bad SKILL.md that was fine when cached', () => {
    const dir = tempDir();
    const cacheFile = join(tempDir(), 'skills.cache.json');
    const file = simpleSkill(dir, 'backup', 'Back up the database.');
    loadSkills([dir], { cacheFile });
    writeFileSync(file, '---\nname: backup\n---\n');
    expect(() => loadSkills([dir], { cacheFile })).toThrow(/backup\/SKILL\.md: description: is required/);
  });
});
