/** The o200k encoder's functions we use; loaded on first need, since its tables take a while to load. */
interface Encoder {
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

/** Tokens a chat message costs beyond its text (role and separators), as OpenAI's chat format counts them. */
export const messageOverheadTokens = 4;

/** Characters of counted text the cache keeps; the oldest texts go first when it is full. */
const cacheChars = 4_000_000;
/** Texts longer than this are counted each time: one would push out much of the cache. */
const largestCachedText = cacheChars / 16;

/**
 * Counts tokens with gpt-tokenizer's o200k encoding. One counter serves the whole process and caches
 * the texts it counted (events never change, and the same identity, tools and history are packed turn
 * after turn), so a pack pays only for text no earlier pack counted.
 */
export class TokenCounter {
  private readonly cache = new Map<string, number>();
  private cachedChars = 0;

  private constructor(private readonly encoder: Encoder) {}

  /** The process's counter, its encoder loaded on first use. */
  static load(): Promise<TokenCounter> {
    shared ??= import('gpt-tokenizer/encoding/o200k_base').then(
      (module) =>
        new TokenCounter({
          encode: (text: string) => module.encode(text),
          decode: (tokens: number[]) => module.decode(tokens),
        }),
    );
    return shared;
  }

  count(text: string): number {
    if (text === '') return 0;
    const cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const tokens = this.encoder.encode(text).length;
    if (text.length <= largestCachedText) this.remember(text, tokens);
    return tokens;
  }

  /** The longest start of `text` within `maxTokens`, cut on a token boundary. */
  truncate(text: string, maxTokens: number): string {
    if (maxTokens <= 0) return '';
    const tokens = this.encoder.encode(text);
    if (tokens.length <= maxTokens) return text;
    let cut = this.encoder.decode(tokens.slice(0, maxTokens));
    // A cut inside a multi-byte character decodes to a replacement char, which may count differently.
    while (cut !== '' && this.count(cut) > maxTokens) cut = cut.slice(0, -1);
    return cut;
  }

  private remember(text: string, tokens: number): void {
    this.cache.set(text, tokens);
    this.cachedChars += text.length;
    for (const oldest of this.cache.keys()) {
      if (this.cachedChars <= cacheChars) return;
      this.cache.delete(oldest);
      this.cachedChars -= oldest.length;
    }
  }
}

let shared: Promise<TokenCounter> | undefined;
