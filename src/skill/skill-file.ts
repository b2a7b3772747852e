import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { isNode, LineCounter, parse, parseDocument } from 'yaml';
import { z } from 'zod';
import { PyclawError } from '../core/index.js';

/**
 * SKILL.md front matter: the Agent Skills fields (`name`, `description`, `license`, `compatibility`,
 * `metadata`, `allowed-tools`) plus PyClaw's `version`, `tags` and `tools`. Other keys are kept out of
 * the way rather than refused, so skills written for other agents load unchanged.
 */
const stringList = z.union([
  z.array(z.string().min(1)),
  z.string().transform((text) => text.split(/[\s,]+/).filter(Boolean)),
]);
function requiredText(input: unknown, what: string): string {
  return input === undefined ? `is required (${what})` : `must be text (${what}), not ${typeof input}`;
}

const frontMatterSchema = z.looseObject({
  name: z
    .string({ error: (issue) => requiredText(issue.input, 'a-z, 0-9 and single hyphens') })
    .max(64, 'is longer than 64 characters')
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'uses a-z, 0-9 and single hyphens, not at either end'),
  description: z
    .string({ error: (issue) => requiredText(issue.input, 'say what the skill does and when to use it') })
    .trim()
    .min(1, 'is empty: say what the skill does and when to use it')
    .max(1024, 'is longer than 1024 characters'),
  version: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .optional(),
  tags: stringList.optional(),
  tools: stringList.optional(),
  'allowed-tools': stringList.optional(),
  license: z.string().optional(),
  compatibility: z.string().max(500, 'is longer than 500 characters').optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
});

/** A skill: a folder holding a SKILL.md playbook. */
export interface Skill {
  name: string;
  description: string;
  /** The version the author declared (`version`, or `metadata.version`). */
  declaredVersion: string | undefined;
  tags: string[];
  /** Tool ids the skill needs (`tools`, plus the Agent Skills `allowed-tools`). */
  tools: string[];
  license: string | undefined;
  compatibility: string | undefined;
  metadata: Record<string, string>;
  /** The markdown after the front matter. */
  body: string;
  /** Absolute path of the SKILL.md. */
  file: string;
  /** sha256 (hex) of the SKILL.md's bytes: the version PyClaw records. */
  hash: string;
}

export const skillFileName = 'SKILL.md';

const frontMatterPattern = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Parses a SKILL.md; bad front matter is one line naming the file, the field and what is wrong. */
export function parseSkillFile(file: string, text: string): Skill {
  const match = frontMatterPattern.exec(text);
  if (!match) {
    throw invalid(
      file,
      'no YAML front matter: the file must start with a --- block holding name and description',
    );
  }
  const data = parseFrontMatter(file, match[1] ?? '');
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw invalid(
      `${file}${lineOf(match[1] ?? '', issue.path)}`,
      `${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const meta = parsed.data;
  const folder = basename(dirname(file));
  if (meta.name !== folder) {
    throw invalid(file, `name: "${meta.name}" does not match its folder "${folder}"`);
  }
  return {
    name: meta.name,
    description: meta.description,
    declaredVersion: meta.version ?? meta.metadata?.version,
    tags: meta.tags ?? [],
    tools: [...new Set([...(meta.tools ?? []), ...(meta['allowed-tools'] ?? [])])],
    license: meta.license,
    compatibility: meta.compatibility,
    metadata: meta.metadata ?? {},
    body: text.slice(match[0].length),
    file,
    hash: createHash('sha256').update(text).digest('hex'),
  };
}

/** The front matter as data; YAML's plain parse is the fast path, its document API only places errors. */
function parseFrontMatter(file: string, text: string): unknown {
  let data: unknown;
  try {
    data = parse(text, { logLevel: 'error' });
  } catch {
    const lineCounter = new LineCounter();
    const error = parseDocument(text, { lineCounter }).errors[0];
    const line = (error?.linePos?.[0].line ?? 0) + 1;
    throw invalid(
      `${file}:${line}`,
      error?.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, ''),
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw invalid(file, 'the front matter is not a YAML mapping');
  return data;
}

/** `:N`, the line of the SKILL.md holding the front matter key at `path`, when it can be found. */
function lineOf(text: string, path: readonly PropertyKey[]): string {
  const lineCounter = new LineCounter();
  const node = parseDocument(text, { lineCounter }).getIn(path as unknown[], true);
  return isNode(node) && node.range ? `:${lineCounter.linePos(node.range[0]).line + 1}` : '';
}

function invalid(where: string, what: string | undefined): PyclawError {
  return new PyclawError('skill.invalid', `${where}: ${what}`, {
    hint: 'see the README section on skills for the SKILL.md fields',
  });
}
