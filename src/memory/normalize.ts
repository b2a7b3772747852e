import { createHash } from 'node:crypto';

/** The text two proposals must share to count as the same candidate: case, spacing and end punctuation aside. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.!?;:,]+$/u, '');
}

export function textHash(text: string): string {
  return createHash('sha256').update(normalizeText(text)).digest('hex');
}
