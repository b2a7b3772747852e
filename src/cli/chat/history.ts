import { appendFileSync, chmodSync, readFileSync } from 'node:fs';

const keptLines = 1000;

/**
 * The REPL's input history: one line per entry, appended as typed but redacted first, in a file only
 * the owner can read (its mode is enforced on every open, in case it was created looser).
 */
export class ChatHistory {
  constructor(
    private readonly path: string,
    private readonly redact: (text: string) => string,
  ) {}

  /** The most recent lines first, as readline's `history` option takes them. */
  load(): string[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    chmodSync(this.path, 0o600);
    return text.split('\n').filter(Boolean).slice(-keptLines).reverse();
  }

  add(line: string): void {
    appendFileSync(this.path, `${this.redact(line)}\n`, { mode: 0o600 });
    chmodSync(this.path, 0o600);
  }
}
