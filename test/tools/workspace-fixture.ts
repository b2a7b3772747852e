import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Redactor } from '../../src/secret/index.js';
import { builtinTools, type Tool, type ToolCallContext, ToolHost } from '../../src/tools/index.js';
import { openStore } from '../artifact/store-fixture.js';
import { useTempDirs } from '../helpers/temp-dir.js';

/**
 * Per call: a workspace directory, a sibling directory outside it, a real artifact store over SQLite,
 * and a host with the built-in tools (plus `extraTools`) running calls in that workspace.
 */
export function useToolWorkspace() {
  const tempDir = useTempDirs('pyclaw-tools-');
  const opened: { close(): void }[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
  });
  return (options: { extraTools?: Tool[]; previewBytes?: number; redactor?: Redactor } = {}) => {
    const home = tempDir();
    const workspace = join(home, 'workspace');
    const outside = join(home, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    const { db, store } = openStore(home);
    opened.push(db);
    const host = new ToolHost([...builtinTools(), ...(options.extraTools ?? [])], {
      artifacts: store,
      previewBytes: options.previewBytes,
      redactor: options.redactor,
    });
    const ctx: ToolCallContext = {
      sessionId: 'session-1',
      turnId: 'turn-1',
      callId: 'call-1',
      workspaceRoots: [workspace],
      artifacts: store,
    };
    const run = (tool: string, input: unknown, signal = new AbortController().signal) =>
      host.run({ tool, input }, ctx, signal);
    return { home, workspace, outside, store, host, ctx, run };
  };
}
