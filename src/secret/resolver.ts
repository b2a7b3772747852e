import { PyclawError } from '../core/index.js';
import { resolveHome } from '../storage/index.js';
import type { Keychain } from './keychain.js';
import { mapStrings } from './map-strings.js';
import type { Redactor } from './redactor-contract.js';
import { readSecretsFile, secretNameSource } from './secrets-file.js';

/**
 * `${env:NAME}` or `secret:NAME`, as a whole value or inside text (`Bearer ${env:TOKEN}`). `secret:`
 * must start a word, so `client_secret:x` is plain text.
 */
const referenceSource = `\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)\\}|\\bsecret:(${secretNameSource})`;
const referencePattern = new RegExp(referenceSource, 'g');
const wholeReference = new RegExp(`^(?:${referenceSource})$`);

/** Whether `value` is exactly one secret reference, for config keys that must never hold a secret inline. */
export function isSecretReference(value: string): boolean {
  return wholeReference.test(value);
}

export interface SecretResolverOptions {
  /** Where `${env:NAME}` looks. */
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** Defaults to `PYCLAW_HOME/secrets` as `env` resolves it. */
  secretsFile?: string;
  /** Asked for `secret:NAME` when the secrets file has no NAME; see `loadKeychain`. */
  keychain?: Keychain;
}

/**
 * Resolves secret references. `${env:NAME}` reads the environment only. `secret:NAME` reads the secrets
 * file, then the OS keychain; it does not fall back to the environment, so a config says plainly where
 * each secret lives. An empty value counts as missing. Every value handed out is registered with the
 * redactor first. The secrets file is read once, on first use.
 *
 * The methods are bound, so `resolveString` can be passed around as a plain function.
 */
export class SecretResolver {
  private readonly env: NodeJS.ProcessEnv;
  private readonly redactor: Redactor;
  private readonly secretsFile: string;
  private readonly keychain: Keychain | undefined;
  private fileSecrets: Map<string, string> | undefined;

  constructor(options: SecretResolverOptions) {
    this.env = options.env;
    this.redactor = options.redactor;
    this.secretsFile = options.secretsFile ?? resolveHome(options.env).secrets;
    this.keychain = options.keychain;
  }

  /** Registers every value in the secrets file with the redactor: they are secrets by definition. */
  readonly registerAll = (): void => {
    for (const [name, value] of this.fileEntries()) this.redactor.register(value, name);
  };

  /** Replaces every reference inside `text` with the secret's value; other text is kept as is. */
  readonly resolveString = (text: string): string =>
    text.replace(referencePattern, (_match, envName: string | undefined, secretName: string | undefined) =>
      envName !== undefined ? this.fromEnv(envName) : this.fromStore(secretName as string),
    );

  /** Registers a value made from a secret (say, a decoded key) so it is redacted like the secret. */
  readonly registerDerived = (value: string, fromReference: string): void => {
    this.redactor.register(value, fromReference);
  };

  /** Resolves references in every string of a config value, deep (not in object keys); returns a copy. */
  readonly resolveAll = <T>(value: T): T => mapStrings(value, this.resolveString, false) as T;

  private fromEnv(name: string): string {
    const value = this.env[name];
    if (!value) {
      throw new PyclawError('secret.missing', `\${env:${name}}: ${name} is not set in the environment`, {
        hint: `export ${name}=... before starting PyClaw`,
      });
    }
    return this.handOut(value, name);
  }

  private fromStore(name: string): string {
    const value = this.fileEntries().get(name) || this.keychain?.get(name);
    if (!value) {
      throw new PyclawError('secret.missing', `secret:${name} was not found in ${this.placesLooked()}`, {
        hint: `add a line ${name}=<value> to ${this.secretsFile} (chmod 600)`,
      });
    }
    return this.handOut(value, name);
  }

  private placesLooked(): string {
    if (!this.keychain) return this.secretsFile;
    const unavailable = this.keychain.unavailableReason();
    return unavailable ? `${this.secretsFile} (${unavailable})` : `${this.secretsFile} or the OS keychain`;
  }

  private handOut(value: string, name: string): string {
    this.redactor.register(value, name);
    return value;
  }

  private fileEntries(): Map<string, string> {
    this.fileSecrets ??= readSecretsFile(this.secretsFile);
    return this.fileSecrets;
  }
}
