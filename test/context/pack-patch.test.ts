import { describe, expect, it } from 'vitest';
import type { PromptPack } from '../../src/context/index.js';
import {
  applyPackPatch,
  packPatch,
  packPatchSchema,
  packPieces,
  packText,
} from '../../src/context/pack-patch.js';

const budgets = {
  window: 8192,
  reserveOutput: 1024,
  ratio: 1,
  total: 7168,
  identity: 716,
  summary: 1075,
  memory: 716,
  skills: 716,
  tools: 1075,
};

function pack(messages: string[], changes: Partial<PromptPack> = {}): PromptPack {
  return {
    format: 'pyclaw.promptpack/1',
    budgets,
    totalTokens: messages.length * 10,
    sections: [{ section: 'identity', budget: 700, tokens: 12, text: 'You are a note keeper.' }],
    telemetry: messages.map((_, i) => ({
      section: 'recent',
      ref: `event:${i + 1}`,
      tokens: 10,
      decision: 'included',
    })),
    request: {
      messages: [
        { role: 'system', content: 'You are a note keeper.' },
        ...messages.map((content) => ({ role: 'user' as const, content })),
      ],
      tools: [{ name: 'fs_read', description: 'Read a file.', inputSchema: { type: 'object' } }],
    },
    ...changes,
  };
}

/** Patches `next` against `base` through the patch's JSON (as the log keeps it) and rebuilds it. */
function roundTrip(base: PromptPack, next: PromptPack) {
  const { patch, size } = packPatch(packPieces(base), 7, packPieces(next));
  const stored = packPatchSchema.parse(JSON.parse(JSON.stringify(patch)));
  const rebuilt = packText(applyPackPatch(packPieces(base), stored));
  return { patch, size, rebuilt };
}

describe('pack patches', () => {
  const earlier = Array.from({ length: 20 }, (_, i) => `message ${i}: ${'words '.repeat(30)}`);

  it('store a next step as the messages it adds, and rebuild the exact text', () => {
    const base = pack(earlier);
    const next = pack([...earlier, 'the tool said: buy milk', 'Your note says: buy milk.']);
    const { patch, size, rebuilt } = roundTrip(base, next);
    expect(rebuilt).toBe(JSON.stringify(next));
    expect(patch.lists?.messages).toEqual([
      { copy: [0, 21] },
      { add: [JSON.stringify(next.request.messages[21]), JSON.stringify(next.request.messages[22])] },
    ]);
    expect(patch.lists?.tools).toBeUndefined();
    expect(patch.lists?.sections).toBeUndefined();
    expect(patch.fields).toEqual({ totalTokens: '220' });
    expect(size * 10).toBeLessThan(JSON.stringify(next).length);
  });

  it('copy what is left when the window drops its oldest messages', () => {
    const next = pack([...earlier.slice(5), 'a new question']);
    const { patch, rebuilt } = roundTrip(pack(earlier), next);
    expect(rebuilt).toBe(JSON.stringify(next));
    expect(patch.lists?.messages).toEqual([
      { copy: [0, 1] },
      { copy: [6, 15] },
      { add: [JSON.stringify({ role: 'user', content: 'a new question' })] },
    ]);
  });

  it('replace a changed field whole, empty a list, and leave an identical pack an empty patch', () => {
    const base = pack(earlier);
    const next = pack(earlier, { budgets: { ...budgets, ratio: 0.8 }, sections: [] });
    const { patch, rebuilt } = roundTrip(base, next);
    expect(rebuilt).toBe(JSON.stringify(next));
    expect(Object.keys(patch.fields ?? {})).toEqual(['budgets']);
    expect(patch.lists?.sections).toEqual([]);
    expect(roundTrip(base, pack(earlier)).patch).toEqual({ base: 7 });
  });

  it('refuse a patch that copies past the end of its base', () => {
    const patch = packPatchSchema.parse({ base: 3, lists: { tools: [{ copy: [0, 2] }] } });
    expect(() => applyPackPatch(packPieces(pack(earlier)), patch)).toThrow(
      /copies items 0\.\.1 of a list of 1/,
    );
  });
});
