import { randomFillSync } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A ULID is 10 base32 digits of milliseconds, then 16 random digits; the last 4 are kept as a number. */
const headDigits = 12;
const tailLimit = 32 ** 4;

let lastTime = -1;
let timeText = '';
const random = new Uint8Array(16);
const head = random.subarray(0, headDigits);
/** Random bytes drawn a page at a time: one draw per id cost more than the rest of making it. */
const pool = new Uint8Array(4096);
let poolUsed = pool.length;
let headText = '';
let tail = 0;

/**
 * A ULID: sortable by creation time, unique across processes. Monotonic like ulid's `monotonicFactory`:
 * within one millisecond (or while the clock runs backwards) the random part counts up by one.
 * Hand-rolled because the event log makes one per append and the `ulid` package's generator costs
 * several times as much (a random draw per character, string surgery to increment).
 */
export function newId(): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    timeText = encode(now, 10);
    if (poolUsed === pool.length) {
      randomFillSync(pool);
      poolUsed = 0;
    }
    random.set(pool.subarray(poolUsed, poolUsed + random.length));
    poolUsed += random.length;
    tail = 0;
    for (let i = 0; i < random.length; i++) {
      const digit = (random[i] as number) & 31;
      random[i] = digit;
      if (i >= headDigits) tail = tail * 32 + digit;
    }
    headText = digitsText(head);
  } else if (++tail === tailLimit) {
    tail = 0;
    incrementHead();
  }
  return timeText + headText + encode(tail, 4);
}

function encode(value: number, digits: number): string {
  let text = '';
  for (let i = 0; i < digits; i++) {
    text = alphabet[value % 32] + text;
    value = Math.floor(value / 32);
  }
  return text;
}

function digitsText(digits: Uint8Array): string {
  let text = '';
  for (const digit of digits) text += alphabet[digit];
  return text;
}

function incrementHead(): void {
  for (let i = headDigits - 1; i >= 0; i--) {
    if ((head[i] as number) < 31) {
      head[i] = (head[i] as number) + 1;
      headText = digitsText(head);
      return;
    }
    head[i] = 0;
  }
  throw new Error('ULID random part overflowed within one millisecond');
}
