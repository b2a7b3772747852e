export { type Keychain, keychainNotInstalledMessage, loadKeychain } from './keychain.js';
export { createRedactor, minimumSecretLength, registerSecretsFromEnv } from './redactor.js';
export type { Redactor } from './redactor-contract.js';
export { isSecretReference, SecretResolver, type SecretResolverOptions } from './resolver.js';
export { readSecretsFile, setSecret } from './secrets-file.js';
