import type { Transform } from 'node:stream';
import { credentialPatterns } from './credential-patterns.js';
import { createRedactStream } from './redact-stream.js';
import type { Redactor } from './redactor-contract.js';

/** Registered values shorter than this are ignored: redacting "abc" everywhere would destroy text. */
export const minimumSecretLength = 6;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A compiled pass: one alternation of every registered value (longest first) and every credential shape. */
export interface RedactionPass {
  pattern: RegExp;
  /** Length of the longest registered value, in the pass's characters. */
  longestValue: number;
  marker(match: RegExpExecArray | { 0: string; groups?: Record<string, string | undefined> }): string;
}

function compilePass(values: Map<string, string>): RedactionPass {
  const sorted = [...values.keys()].sort((a, b) => b.length - a.length);
  const alternatives = [
    ...(sorted.length > 0 ? [`(?<registered>${sorted.map(escapeRegex).join('|')})`] : []),
    ...credentialPatterns.map(
      (shape, i) => `(?<shape${i}>${shape.source.replace('(?<keep>', `(?<keep${i}>`)})`,
    ),
  ];
  return {
    pattern: new RegExp(alternatives.join('|'), 'g'),
    longestValue: sorted[0]?.length ?? 0,
    marker(match) {
      const groups = match.groups ?? {};
      if (groups.registered !== undefined) return `[REDACTED:${values.get(match[0]) ?? 'secret'}]`;
      const index = credentialPatterns.findIndex((_, i) => groups[`shape${i}`] !== undefined);
      return `${groups[`keep${index}`] ?? ''}[REDACTED:${credentialPatterns[index]?.name ?? 'secret'}]`;
    },
  };
}

/**
 * Replaces secrets with `[REDACTED:<name>]` in one regex pass. Streams are redacted as latin1 text, so
 * each byte is one character and a registered value matches by its UTF-8 bytes.
 */
class PatternRedactor implements Redactor {
  private readonly names = new Map<string, string>();
  private textPass: RedactionPass | undefined;
  private bytePass: RedactionPass | undefined;

  register(value: string, name = 'secret'): void {
    if (value.length < minimumSecretLength || this.names.has(value)) return;
    this.names.set(value, name);
    this.textPass = undefined;
    this.bytePass = undefined;
  }

  redactText(text: string): string {
    if (text.length < minimumSecretLength) return text;
    this.textPass ??= compilePass(this.names);
    const pass = this.textPass;
    return text.replace(pass.pattern, (...args: unknown[]) => {
      const groups = args.at(-1) as Record<string, string | undefined>;
      return pass.marker({ 0: args[0] as string, groups });
    });
  }

  redactValue<T>(value: T): T {
    return this.redactDeep(value) as T;
  }

  createStream(): Transform {
    return createRedactStream(() => {
      this.bytePass ??= compilePass(
        new Map(
          [...this.names].map(([value, name]) => [Buffer.from(value, 'utf8').toString('latin1'), name]),
        ),
      );
      return this.bytePass;
    });
  }

  private redactDeep(value: unknown): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[this.redactText(key)] = this.redactDeep(item);
      return out;
    }
    return value;
  }
}

export function createRedactor(): Redactor {
  return new PatternRedactor();
}

const secretLookingName =
  /(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|CREDENTIALS?)$|PASSWORD|SECRET/i;

/** Registers the values of environment variables whose names say they hold secrets (`*_KEY`, `*_TOKEN`, ...). */
export function registerSecretsFromEnv(redactor: Redactor, env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (value && secretLookingName.test(name)) redactor.register(value, name);
  }
}
