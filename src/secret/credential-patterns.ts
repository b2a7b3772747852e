/**
 * Shapes of credentials that are redacted even when nobody registered them. Each is a regex source
 * without flags; they are combined into one case-sensitive pass. A `(?<keep>...)` group marks text that
 * stays readable in front of the marker, such as the scheme word in "Bearer <token>".
 */
export const credentialPatterns: readonly { name: string; source: string }[] = [
  {
    name: 'private-key',
    source: '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----',
  },
  { name: 'anthropic-key', source: '\\bsk-ant-[A-Za-z0-9_-]{20,}' },
  { name: 'openai-key', source: '\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}' },
  { name: 'github-token', source: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})' },
  { name: 'aws-access-key-id', source: '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b' },
  { name: 'slack-token', source: '\\bxox[abprs]-[A-Za-z0-9-]{10,}' },
  { name: 'telegram-bot-token', source: '\\b\\d{8,10}:[A-Za-z0-9_-]{35}\\b' },
  { name: 'jwt', source: '\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}' },
  {
    name: 'bearer-token',
    source: '(?<keep>\\b(?:[Bb]earer|BEARER|[Bb]asic|BASIC)\\s{1,4})[A-Za-z0-9._~+/-]{8,}=*',
  },
  {
    name: 'authorization-header',
    source:
      '(?<keep>\\b[Aa]uthorization["\']?\\s{0,4}[:=]\\s{0,4}["\']?)(?![Bb]earer\\b|[Bb]asic\\b)[A-Za-z0-9._~+/-]{12,}=*',
  },
];

/** The longest text a pattern can match that a stream redactor must hold back to see whole: PEM blocks. */
export const longestCredentialBytes = 16 * 1024;
