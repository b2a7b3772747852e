import { PyclawError } from '../core/index.js';
import type { KeychainLookup } from './keychain.js';
import type { Redactor } from './redactor-contract.js';
import { readSecretsFile } from './secrets-file.js';

/** `${env:NAME}` or `secret:NAME` (a whole value, or embedded in text such as `Bearer ${env:TOKEN}`). */
const referencePattern = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}|secret:([A-Za-z_][A-Za-z0-9_.-]*)/g;

/**
 * Resolves secret references. `${env:NAME}` reads the environment; `secret:NAME` reads the secrets file,
 * then the OS keychain when one is available. Every value it hands out is registered with the redactor.
 */
export class SecretResolver {
  private readonly env: NodeJS.ProcessEnv;
  private readonly secretsFile: string;
  private readonly redactor: Redactor;
  private readonly keychain: KeychainLookup | undefined;
  private fileSecrets: Map<string, string> | undefined;

  constructor(options: {
    env: NodeJS.ProcessEnv;
    secretsFile: string;
    redactor: Redactor;
    keychain?: KeychainLookup;
  }) {
    this.env = options.env;
    this.secretsFile = options.secretsFile;
    this.redactor = options.redactor;
    this.keychain = options.keychain;
  }

  /** Registers every value in the secrets file with the redactor: they are secrets by definition. */
  registerAll(): void {
    for (const [name, value] of this.fileEntries()) this.redactor.register(value, name);
  }

  /** Replaces every reference inside `text` with the secret's value. */
  resolveString(text: string): string {
    return text.replace(
      referencePattern,
      (_match, envName: string | undefined, secretName: string | undefined) =>
        envName !== undefined ? this.fromEnv(envName) : this.fromStore(secretName as string),
    );
  }

  /** Resolves references in every string of a config value (deep); returns a new value. */
  resolveAll<T>(value: T): T {
    if (typeof value === 'string') return this.resolveString(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.resolveAll(item)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.resolveAll(item)]),
      ) as T;
    }
    return value;
  }

  private fromEnv(name: string): string {
    const value = this.env[name];
    if (value === undefined || value === '') {
      throw new PyclawError('secret.missing', `\${env:${name}} is not set in the environment`);
    }
    this.redactor.register(value, name);
    return value;
  }

  private fromStore(name: string): string {
    const value = this.fileEntries().get(name) ?? this.keychain?.(name);
    if (value === undefined) {
      const places = this.keychain ? `${this.secretsFile} or the OS keychain` : this.secretsFile;
      throw new PyclawError('secret.missing', `secret:${name} was not found in ${places}`, {
        hint: `add it with a line ${name}=... in ${this.secretsFile}`,
      });
    }
    this.redactor.register(value, name);
    return value;
  }

  private fileEntries(): Map<string, string> {
    this.fileSecrets ??= readSecretsFile(this.secretsFile);
    return this.fileSecrets;
  }
}
