import type { SafetyBlock } from './block.js';
import type { DomainRules } from './safety-config.js';

/**
 * Whether a tool may reach `url`. Deny beats allow; with an allow list, only hosts on it pass. A URL
 * that does not parse, or is not http(s), is blocked: nothing can say where it leads.
 */
export function domainBlock(url: string, rules: DomainRules): SafetyBlock | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { rule: 'domain.bad-url', reason: `${url} is not a URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { rule: 'domain.scheme', reason: `${parsed.protocol} URLs are not allowed, only http and https` };
  }
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const denied = rules.deny.find((pattern) => hostMatches(pattern, host));
  if (denied !== undefined) {
    return { rule: 'domain.deny', reason: `${host} is denied by safety.domains.deny (${denied})` };
  }
  if (rules.allow.length > 0 && !rules.allow.some((pattern) => hostMatches(pattern, host))) {
    return { rule: 'domain.allow', reason: `${host} is not in safety.domains.allow` };
  }
  return undefined;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return host === pattern || host.endsWith(`.${pattern}`);
}

/** The http(s) URLs written in a command line, as far as a plain scan can see them. */
export function urlsIn(text: string): string[] {
  return [...text.matchAll(/\bhttps?:\/\/[^\s'"`|;&()<>]+/gi)].map((match) => match[0]);
}
