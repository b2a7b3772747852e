/** Telegram's limit on one message's text. */
export const telegramMessageLimit = 4096;

/**
 * Splits text into parts of at most `limit` characters, in order, breaking after the last line break (or
 * else space) inside each part when there is one, so words and lines stay whole where they can. The
 * parts joined give the text back.
 */
export function splitMessage(text: string, limit = telegramMessageLimit): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const breakAfter = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' ')) + 1;
    const cut = breakAfter > limit / 2 ? breakAfter : limit;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}
