import { Transform } from 'node:stream';
import { longestCredentialBytes } from './credential-patterns.js';
import type { RedactionPass } from './redactor.js';

/**
 * Redacts a byte stream, read as latin1 so one character is one byte. The last `holdback` bytes (the
 * longest PEM block or registered secret) wait for more data, so a secret split across chunks is seen
 * whole; a match that crosses the emit boundary is carried over entirely. Bytes with no secret in them
 * pass through unchanged.
 */
export function createRedactStream(currentPass: () => RedactionPass): Transform {
  let pending = '';

  const redactPending = (final: boolean): string => {
    const pass = currentPass();
    const holdback = Math.max(longestCredentialBytes, pass.longestValue);
    if (!final && pending.length < 2 * holdback) return '';
    let cut = final ? pending.length : pending.length - holdback;
    const out: string[] = [];
    let position = 0;
    pass.pattern.lastIndex = 0;
    for (
      let match = pass.pattern.exec(pending);
      match && match.index < cut;
      match = pass.pattern.exec(pending)
    ) {
      const end = match.index + match[0].length;
      if (end > cut) {
        cut = match.index;
        break;
      }
      out.push(pending.slice(position, match.index), pass.marker(match));
      position = end;
    }
    out.push(pending.slice(position, cut));
    pending = pending.slice(cut);
    return out.join('');
  };

  const push = (stream: Transform, text: string) => {
    if (text.length > 0) stream.push(Buffer.from(text, 'latin1'));
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      pending += chunk.toString('latin1');
      push(this, redactPending(false));
      callback();
    },
    flush(callback) {
      push(this, redactPending(true));
      callback();
    },
  });
}
