import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const verbs = [
  'deploy',
  'backup',
  'migrate',
  'review',
  'test',
  'lint',
  'release',
  'monitor',
  'debug',
  'profile',
  'translate',
  'summarize',
  'scrape',
  'index',
  'compress',
  'encrypt',
  'audit',
  'provision',
  'rotate',
  'restore',
];
const objects = [
  'postgres',
  'docker',
  'kubernetes',
  'nginx',
  'react',
  'python',
  'terraform',
  'logs',
  'certificates',
  'dns',
  'bucket',
  'redis',
  'grafana',
  'git',
  'pdf',
  'spreadsheet',
  'emails',
  'invoices',
  'images',
  'videos',
  'mysql',
  'ansible',
  'systemd',
  'cron',
  'ssh',
  'firewall',
  'vpn',
  'backups',
  'secrets',
  'users',
  'laptop',
  'printer',
  'router',
  'calendar',
  'contacts',
  'notes',
  'photos',
  'music',
  'budget',
  'taxes',
  'website',
  'blog',
  'newsletter',
  'slides',
  'resume',
  'contracts',
  'tickets',
  'metrics',
  'alerts',
  'queues',
];
const fillers = [
  'Works on Linux and macOS.',
  'Asks before changing anything outside the workspace.',
  'Keeps a log of every step it takes.',
  'Stops at the first error and reports it.',
  'Prefers small, reversible steps.',
];

export interface CorpusSkill {
  name: string;
  verb: string;
  object: string;
  text: string;
}

/** 1,000 distinct skills (every verb × object), each a SKILL.md with front matter and a few sections. */
export function skillCorpus(): CorpusSkill[] {
  return verbs.flatMap((verb, v) =>
    objects.map((object, o) => {
      const name = `${verb}-${object}`;
      const text = `---
name: ${name}
description: Use when you need to ${verb} ${object}. ${fillers[(v + o) % fillers.length]}
version: 1.${o}
tags: [${verb}, ${object}, ops]
tools: [exec, fs.read]
---
# ${verb} ${object}

## When to use
When the user asks to ${verb} their ${object}.

## Steps
1. Check the current state of the ${object}.
2. ${verb} it, one step at a time.
3. Report what changed.

## Pitfalls
Never ${verb} ${object} without a way back.
`;
      return { name, verb, object, text };
    }),
  );
}

/** Writes the corpus as skill folders under `dir`. */
export function writeSkillCorpus(dir: string, corpus = skillCorpus()): void {
  for (const skill of corpus) {
    mkdirSync(join(dir, skill.name), { recursive: true });
    writeFileSync(join(dir, skill.name, 'SKILL.md'), skill.text);
  }
}

/** A user's request that targets exactly one skill of the corpus, in words of its own. */
export function corpusQuery(skill: CorpusSkill, variant: number): string {
  const shapes = [
    `please ${skill.verb} the ${skill.object} for me`,
    `how do I ${skill.verb} my ${skill.object}?`,
    `I need to ${skill.verb} ${skill.object} before friday`,
    `can you ${skill.verb} our ${skill.object} today, carefully`,
  ];
  return shapes[variant % shapes.length] as string;
}
