import { errorMessage } from '../core/index.js';

/** The OS keychain, as PyClaw uses it: secrets stored under the service "pyclaw", one account per name. */
export interface Keychain {
  /** The secret stored as `name`; undefined when there is none or the keychain cannot be used. */
  get(name: string): string | undefined;
  /**
   * Why the keychain is not being used, in one line for the CLI to print once; undefined while it works.
   * It can appear after a lookup: the binding may load but find no keychain service (a headless box).
   */
  unavailableReason(): string | undefined;
}

const keychainService = 'pyclaw';
const keyringPackage = '@napi-rs/keyring';

interface KeyringEntry {
  getPassword(): string | null | undefined;
}
type KeyringEntryClass = new (service: string, account: string) => KeyringEntry;

function unavailable(why: string): string {
  return `OS keychain unavailable (${why}); using the secrets file and environment`;
}

/** What `unavailableReason()` says on the usual headless box, where the optional binding is absent. */
export const keychainNotInstalledMessage = unavailable(`${keyringPackage} not installed`);

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function entryClassOf(module: unknown): KeyringEntryClass | undefined {
  // A CommonJS binding may arrive with its exports on `default`.
  for (const candidate of [module, (module as { default?: unknown } | undefined)?.default]) {
    const entry = (candidate as { Entry?: unknown } | undefined)?.Entry;
    if (typeof entry === 'function') return entry as KeyringEntryClass;
  }
  return undefined;
}

function keychainWithout(reason: string): Keychain {
  return { get: () => undefined, unavailableReason: () => reason };
}

/**
 * Loads the optional `@napi-rs/keyring` binding. It is never required: without it, or without a keychain
 * service behind it, lookups find nothing and `unavailableReason()` says why. It never throws.
 */
export async function loadKeychain(
  importModule: (specifier: string) => Promise<unknown> = (specifier) => import(specifier),
): Promise<Keychain> {
  let module: unknown;
  try {
    module = await importModule(keyringPackage);
  } catch (error) {
    const notInstalled = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    return keychainWithout(
      notInstalled
        ? keychainNotInstalledMessage
        : unavailable(`${keyringPackage} failed to load: ${firstLine(errorMessage(error))}`),
    );
  }
  const Entry = entryClassOf(module);
  if (!Entry) return keychainWithout(unavailable(`${keyringPackage} has no Entry class`));

  let reason: string | undefined;
  return {
    get(name) {
      if (reason !== undefined) return undefined;
      try {
        return new Entry(keychainService, name).getPassword() || undefined;
      } catch (error) {
        reason = unavailable(firstLine(errorMessage(error)));
        return undefined;
      }
    },
    unavailableReason: () => reason,
  };
}
