import type { Transform } from 'node:stream';
import { mapStrings } from './map-strings.js';
import { createRedactStream } from './redact-stream.js';
import {
  credentialShapesPass,
  type RedactionPass,
  redactWhole,
  registeredValuesPass,
} from './redaction-pass.js';
import type { Redactor } from './redactor-contract.js';

/**
 * Registered values shorter than this are ignored: redacting "abc" or "true" everywhere would destroy
 * text and reveal, by the markers' positions, what the short value is.
 */
export const minimumSecretLength = 6;

function latin1OfUtf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * Registered values are replaced first, then credential shapes, so a shape (say "Bearer <token>") can
 * never swallow the front of a registered value and leave its tail readable.
 */
class PatternRedactor implements Redactor {
  private readonly names = new Map<string, string>();
  /** Compiled on first use after a registration: one for JS strings, one for latin1 byte strings. */
  private registered: { text: RedactionPass | undefined; bytes: RedactionPass | undefined } | undefined;

  register(value: string, name = 'secret'): void {
    if (value.length < minimumSecretLength || this.names.has(value)) return;
    this.names.set(value, name);
    this.registered = undefined;
  }

  redactText(text: string): string {
    return redactWhole(credentialShapesPass, redactWhole(this.registeredPasses().text, text));
  }

  /** Strings in arrays and plain objects, keys included; other objects (Date, Buffer, ...) are kept as is. */
  redactValue<T>(value: T): T {
    return mapStrings(value, (text) => this.redactText(text), true) as T;
  }

  createStream(): Transform {
    return createRedactStream([() => this.registeredPasses().bytes, () => credentialShapesPass]);
  }

  private registeredPasses() {
    this.registered ??= {
      text: registeredValuesPass(this.names),
      bytes: registeredValuesPass(
        new Map([...this.names].map(([value, name]) => [latin1OfUtf8(value), latin1OfUtf8(name)])),
      ),
    };
    return this.registered;
  }
}

/** A redactor that knows the credential shapes; register values to redact them too. */
export function createRedactor(): Redactor {
  return new PatternRedactor();
}

/** `*_KEY`, `*_TOKEN`, `*_SECRET`, `*PASSWORD` and kin; not `PWD`, which is the working directory. */
const secretLookingName =
  /(?:^|_)(?:KEY|APIKEY|TOKEN|SECRET|CREDENTIAL|CREDENTIALS)$|(?:PASSWORD|PASSWD|PASSPHRASE)$/i;

/** Registers the values of environment variables whose names say they hold secrets. */
export function registerSecretsFromEnv(redactor: Redactor, env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (value && secretLookingName.test(name)) redactor.register(value, name);
  }
}
