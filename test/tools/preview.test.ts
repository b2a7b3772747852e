import { describe, expect, it } from 'vitest';
import { headTailPreview } from '../../src/tools/preview.js';

describe('headTailPreview', () => {
  it('stays within the byte budget and never cuts a character in two', () => {
    for (const char of ['é', '€', '😀']) {
      const content = Buffer.from(char.repeat(500));
      for (let maxBytes = 256; maxBytes < 268; maxBytes++) {
        const preview = headTailPreview(content, 'sha256:abc', maxBytes);
        expect(Buffer.byteLength(preview)).toBeLessThanOrEqual(maxBytes);
        expect(preview).not.toContain('\uFFFD');
        expect(preview).toMatch(
          new RegExp(
            `^${char}+\\n… \\[full output: sha256:abc, ${content.length} bytes\\] …\\n${char}+$`,
            'u',
          ),
        );
      }
    }
  });
});
