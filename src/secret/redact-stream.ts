import { Transform } from 'node:stream';
import { type RedactionPass, redactRange } from './redaction-pass.js';

/**
 * One pass over text that arrives in pieces. The last `reach` characters wait for more, so any match
 * that starts in the emitted part was seen whole; a match that crosses the emit boundary waits entirely.
 * The last emitted character is kept as read-only context so `\b` sees what came before.
 */
class HeldBackPass {
  private pending = '';
  private contextLength = 0;

  constructor(private readonly currentPass: () => RedactionPass | undefined) {}

  push(text: string, final: boolean): string {
    this.pending += text;
    const pass = this.currentPass();
    const reach = pass?.reach ?? 0;
    // Scanning costs the whole pending text, so wait until at least `reach` characters can go out.
    if (!final && this.pending.length - this.contextLength < 2 * reach) return '';
    const limit = final ? this.pending.length : this.pending.length - reach;
    const { redacted, end } = pass
      ? redactRange(pass, this.pending, this.contextLength, limit)
      : { redacted: this.pending.slice(this.contextLength, limit), end: limit };
    this.contextLength = Math.min(end, 1);
    this.pending = this.pending.slice(end - this.contextLength);
    return redacted;
  }
}

/**
 * Redacts a byte stream with `passes`, in order, each seeing the previous one's output. Bytes are read
 * as latin1, one character per byte, so passes must match byte strings (a registered value by its UTF-8
 * bytes) and bytes that match nothing pass through unchanged. Each pass is fetched per chunk, so values
 * registered while the stream runs apply from then on.
 */
export function createRedactStream(passes: readonly (() => RedactionPass | undefined)[]): Transform {
  const stages = passes.map((pass) => new HeldBackPass(pass));
  const run = (text: string, final: boolean) =>
    stages.reduce((input, stage) => stage.push(input, final), text);

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const out = run(chunk.toString('latin1'), false);
      callback(null, out.length > 0 ? Buffer.from(out, 'latin1') : undefined);
    },
    flush(callback) {
      const out = run('', true);
      callback(null, out.length > 0 ? Buffer.from(out, 'latin1') : undefined);
    },
  });
}
