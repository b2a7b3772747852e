/** The o200k encoder's functions we use; loaded on first need, since its tables take a while to load. */
interface Encoder {
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

/** Tokens a chat message costs beyond its text (role and separators), as OpenAI's chat format counts them. */
export const messageOverheadTokens = 4;

const cacheLimit = 20_000;

/**
 * Counts tokens with gpt-tokenizer's o200k encoding. Texts are cached (events never change, and the
 * same history is packed turn after turn), so a turn pays only for text it has not counted before.
 */
export class TokenCounter {
  private readonly cache = new Map<string, number>();

  private constructor(private readonly encoder: Encoder) {}

  static async load(): Promise<TokenCounter> {
    encoderLoad ??= import('gpt-tokenizer/encoding/o200k_base').then((module) => ({
      encode: (text: string) => module.encode(text),
      decode: (tokens: number[]) => module.decode(tokens),
    }));
    return new TokenCounter(await encoderLoad);
  }

  count(text: string): number {
    if (text === '') return 0;
    const cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const tokens = this.encoder.encode(text).length;
    if (this.cache.size >= cacheLimit) this.cache.clear();
    this.cache.set(text, tokens);
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
}

let encoderLoad: Promise<Encoder> | undefined;
