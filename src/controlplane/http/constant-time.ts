import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares two secrets in time that depends on neither (both are hashed to one length first). */
export function constantTimeEqual(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
