import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where PyClaw keeps everything: `PYCLAW_HOME`, or `~/.pyclaw`. */
export interface HomePaths {
  root: string;
  config: string;
  database: string;
  artifacts: string;
  secrets: string;
  skills: string;
  /** Parsed SKILL.md files, kept so a turn need not parse every skill again. */
  skillCache: string;
  logs: string;
  /** GGUF models downloaded from a `modelUri`. */
  models: string;
  /** Lines typed into `pyclaw chat`, redacted, owner-only. */
  chatHistory: string;
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env): HomePaths {
  const root = resolve(env.PYCLAW_HOME || join(homedir(), '.pyclaw'));
  return {
    root,
    config: join(root, 'config.yaml'),
    database: join(root, 'pyclaw.db'),
    artifacts: join(root, 'artifacts'),
    secrets: join(root, 'secrets'),
    skills: join(root, 'skills'),
    skillCache: join(root, 'skills', '.cache.json'),
    logs: join(root, 'logs'),
    models: join(root, 'models'),
    chatHistory: join(root, 'chat_history'),
  };
}
