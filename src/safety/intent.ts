import { PyclawError } from '../core/index.js';
import type { SafetyBlock } from './block.js';
import { commandBlock } from './command-shapes.js';
import { domainBlock } from './domain-rules.js';
import type { SafetyConfig } from './safety-config.js';
import { resolveInWorkspace } from './workspace-path.js';

/** What a tool call would touch, as its tool describes it from the call's input. */
export interface ToolIntent {
  /** Paths it reads or writes, relative to the first workspace root or absolute. */
  paths?: string[];
  /** A shell command line and the directory (a path as above) it runs in. */
  command?: { line: string; cwd: string };
  /** URLs it requests. */
  urls?: string[];
}

export interface IntentScope {
  workspaceRoots: readonly string[];
  config: SafetyConfig;
}

/**
 * The hard stops, checked before policy: a path outside the workspace (after `..` and symlinks), a host
 * the domain rules refuse, a command of a destructive shape. The first one found blocks the call.
 */
export function checkIntent(intent: ToolIntent, scope: IntentScope): SafetyBlock | undefined {
  for (const path of [...(intent.paths ?? []), ...(intent.command ? [intent.command.cwd] : [])]) {
    const block = confinementBlock(path, scope.workspaceRoots);
    if (block) return block;
  }
  for (const url of intent.urls ?? []) {
    const block = domainBlock(url, scope.config.domains);
    if (block) return block;
  }
  if (!intent.command) return undefined;
  // The cwd passed confinement above; if it still cannot be resolved, the tool reports why when it runs.
  let cwd: string;
  try {
    cwd = resolveInWorkspace(scope.workspaceRoots, intent.command.cwd);
  } catch {
    return undefined;
  }
  return commandBlock(intent.command.line, {
    cwd,
    workspaceRoots: scope.workspaceRoots,
    config: scope.config,
  });
}

function confinementBlock(path: string, roots: readonly string[]): SafetyBlock | undefined {
  try {
    resolveInWorkspace(roots, path);
    return undefined;
  } catch (error) {
    if (error instanceof PyclawError) return { rule: 'workspace', reason: error.message };
    // Anything else (a permission error on the way) is for the tool to report when it runs.
    return undefined;
  }
}
