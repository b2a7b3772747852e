/**
 * An event references an artifact by carrying the string `sha256:<64 hex>` anywhere in its payload.
 * Those references are indexed at append time so the artifact garbage collector keeps what events name.
 */
const artifactRefPattern = /sha256:([0-9a-f]{64})/g;

export function artifactHashesIn(payloadJson: string): string[] {
  if (!payloadJson.includes('sha256:')) return [];
  return [...new Set(Array.from(payloadJson.matchAll(artifactRefPattern), (match) => match[1] as string))];
}
