import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventPayloadSchemas } from '../../src/core/index.js';
import type { ScriptedProvider } from '../../src/llm/index.js';
import { openApp, runInSession } from '../../src/runtime/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const modelSummary = `Goal: keep track of the notes
Decisions:
- read note.txt
Facts:
- the note lists milk
Open threads:
- (none)
Last state: answered about the note`;

function home(): { home: string; workspace: string } {
  const dir = tempDir();
  const workspace = tempDir();
  writeFileSync(join(workspace, 'note.txt'), 'buy milk\nRAW-TOOL-OUTPUT-BEYOND-THE-FIRST-LINE\n');
  const agent = (fast: string) => `    models:
      default: { provider: main, model: m }
      fast: { provider: ${fast}, model: f }
    tools: [fs.read]
    context: { summary: { everyEvents: 10, keepRecentEvents: 0 } }`;
  writeFileSync(
    join(dir, 'config.yaml'),
    `providers:
  main: { kind: scripted, perTurn: true, responses: [{ toolCalls: [{ name: fs.read, arguments: { path: note.txt } }] }, { text: "It says buy milk." }] }
  cheap: { kind: scripted, repeat: true, responses: [{ text: ${JSON.stringify(modelSummary)} }] }
  broken: { kind: scripted, repeat: true, maxAttempts: 1, responses: [{ error: { kind: unavailable, message: "cheap model down" } }] }
agents:
  default:
${agent('cheap')}
  offline:
${agent('broken')}
`,
  );
  return { home: dir, workspace };
}

describe('rolling summary', () => {
  it("is written by the agent's fast model from a masked transcript, and extractive when that model fails", async () => {
    const { home: dir, workspace } = home();
    const app = await openApp({ env: { PYCLAW_HOME: dir } });
    try {
      for (const agentId of ['default', 'offline']) {
        const sessionId = app.log.createSession({ agentId }).id;
        for (let turn = 0; turn < 3; turn++) {
          const result = await runInSession(app, {
            sessionId,
            message: 'What does my note say?',
            workspaceRoots: [workspace],
          });
          expect(result.outcome?.status).toBe('completed');
        }
        const updates = app.log
          .byType(sessionId, 'summary.updated')
          .map((event) => eventPayloadSchemas['summary.updated'].parse(event.payload));
        expect(updates.length).toBeGreaterThan(0);
        const first = updates[0];
        expect(first?.fromSeq).toBe(1);
        if (agentId === 'default') {
          expect(first).toMatchObject({ method: 'model', model: 'cheap/f', summary: modelSummary });
        } else {
          expect(first).toMatchObject({
            method: 'extractive',
            fallbackReason: expect.stringContaining('cheap model down'),
          });
          expect(first?.summary).toMatch(/^Goal: What does my note say\?\nDecisions:\n- called fs\.read/);
        }
      }
      // the cheap model read tool output masked to one line that says where the rest is
      const cheap = app.providers().get('cheap') as ScriptedProvider;
      const shown = cheap.requests
        .map((request) => request.messages.map((m) => m.content).join('\n'))
        .join('\n');
      expect(shown).toContain('tool: fs.read returned: "buy milk"… (full output: event #');
      expect(shown).not.toContain('RAW-TOOL-OUTPUT-BEYOND-THE-FIRST-LINE');
    } finally {
      await app.close();
    }
  });
});
