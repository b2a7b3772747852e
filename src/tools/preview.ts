/**
 * The head and tail of `content`, with a note naming where the whole of it is, in at most `maxBytes`
 * bytes of UTF-8. Cuts fall between characters, never inside one.
 */
export function headTailPreview(content: Buffer, fullOutputRef: string, maxBytes: number): string {
  const note = `\n… [full output: ${fullOutputRef}, ${content.length} bytes] …\n`;
  const budget = Math.max(0, maxBytes - Buffer.byteLength(note));
  const headBytes = Math.ceil(budget / 2);
  return `${head(content, headBytes).toString('utf8')}${note}${tail(content, budget - headBytes).toString('utf8')}`;
}

function head(bytes: Buffer, size: number): Buffer {
  let end = size;
  while (end > 0 && isContinuationByte(bytes[end])) end--;
  return bytes.subarray(0, end);
}

function tail(bytes: Buffer, size: number): Buffer {
  let start = bytes.length - size;
  while (start < bytes.length && isContinuationByte(bytes[start])) start++;
  return bytes.subarray(start);
}

function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}
