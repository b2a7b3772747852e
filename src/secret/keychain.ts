import { errorMessage } from '../core/index.js';

/** Looks a secret up in the OS keychain under the service "pyclaw"; undefined when absent. */
export type KeychainLookup = (name: string) => string | undefined;

export type KeychainStatus =
  | { available: true; lookup: KeychainLookup }
  | { available: false; reason: string };

interface KeyringModule {
  Entry: new (service: string, account: string) => { getPassword(): string | null | undefined };
}

const keyringPackage = '@napi-rs/keyring';

/**
 * Loads the optional OS keychain binding. On a headless box or without the package this returns a
 * one-line reason instead of failing: the secrets file and the environment still work.
 */
export async function loadKeychain(
  importModule: (name: string) => Promise<unknown> = (name) => import(name),
): Promise<KeychainStatus> {
  let keyring: KeyringModule;
  try {
    keyring = (await importModule(keyringPackage)) as KeyringModule;
  } catch {
    return {
      available: false,
      reason: `OS keychain unavailable (${keyringPackage} is not installed); using the secrets file and environment`,
    };
  }
  return {
    available: true,
    lookup(name) {
      try {
        return new keyring.Entry('pyclaw', name).getPassword() ?? undefined;
      } catch (error) {
        throw new Error(`OS keychain lookup of ${name} failed: ${errorMessage(error)}`);
      }
    },
  };
}
