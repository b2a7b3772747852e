/** What a user may type to name an artifact: `sha256:<hex>`, bare hex, a hex prefix of 8+ digits, or an alias. */
export type ArtifactQuery = { hash: string } | { prefix: string } | { alias: string };

const fullHash = /^(?:sha256:)?([0-9a-f]{64})$/;
const hashPrefix = /^(?:sha256:)?([0-9a-f]{8,63})$/;

export function refOf(hash: string): string {
  return `sha256:${hash}`;
}

export function parseArtifactQuery(text: string): ArtifactQuery {
  const hash = fullHash.exec(text)?.[1];
  if (hash) return { hash };
  const prefix = hashPrefix.exec(text)?.[1];
  return prefix ? { prefix } : { alias: text };
}

/** An alias that read as a hash or prefix would be unreachable, or would hide a blob: such names are refused. */
export function isUsableAlias(alias: string): boolean {
  return 'alias' in parseArtifactQuery(alias);
}
