/**
 * Shapes of credentials that are redacted even when nobody registered them. Each is a regex source
 * without flags; they are combined into one case-sensitive pass. A `(?<keep>...)` group marks text that
 * stays readable in front of the marker, such as the scheme word in "Bearer <token>".
 *
 * Every quantifier is bounded, so no match reaches further than `credentialPatternReach`: that is what
 * lets a stream hold back a fixed tail and still see every match whole. A run of token characters longer
 * than a bound is redacted up to the bound; nothing that long is a credential we know of.
 */
export interface CredentialPattern {
  name: string;
  source: string;
}

/** Bearer and Authorization values: token68 characters (RFC 7235), with up to two `=` of padding. */
const tokenCharacters = '[A-Za-z0-9._~+/-]';
/**
 * A token must contain a digit, `+`, `/` or a lowercase-then-uppercase pair, so that prose such as
 * "Basic understanding" or "Bearer authentication" is left alone.
 */
const scrambledToken = (min: number) =>
  `(?=${tokenCharacters}{0,8192}?(?:[0-9+/]|[a-z][A-Z]))${tokenCharacters}{${min},8192}={0,2}`;

export const credentialPatterns: readonly CredentialPattern[] = [
  {
    name: 'private-key',
    // The body never contains "-----", so a BEGIN line without an END stops at the next BEGIN line.
    source:
      '-----BEGIN (?:[A-Z0-9]{1,16} ){0,4}PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-(?!----)){0,16384}?' +
      '-----END (?:[A-Z0-9]{1,16} ){0,4}PRIVATE KEY(?: BLOCK)?-----',
  },
  { name: 'anthropic-key', source: '\\bsk-ant-[A-Za-z0-9_-]{20,400}' },
  { name: 'openai-key', source: '\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,400}' },
  { name: 'github-token', source: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})' },
  { name: 'aws-access-key-id', source: '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b' },
  { name: 'slack-token', source: '\\bxox[abprs]-[A-Za-z0-9-]{10,255}' },
  // The 35 characters may end in "-" or "_", where \b would not hold: the lookahead says "no more of them".
  { name: 'telegram-bot-token', source: '\\b\\d{8,10}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])' },
  {
    name: 'jwt',
    // Not \b: inside a long run such as "eyJa-eyJb-..." every "eyJ" would start a new scan of the run.
    source: '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{8,4096}',
  },
  {
    name: 'authorization-header',
    // The scheme word (Bearer, Basic, Token, ...) stays readable.
    source:
      `(?<keep>\\b[Aa]uthorization["']?\\s{0,4}[:=]\\s{0,4}["']?(?:[A-Za-z][A-Za-z0-9-]{0,30}\\s{1,4})?)` +
      scrambledToken(8),
  },
  {
    name: 'bearer-token',
    source: `(?<keep>\\b(?:[Bb]earer|BEARER|[Bb]asic|BASIC)\\s{1,4})${scrambledToken(8)}`,
  },
];

/**
 * A credential match and the one character after it (which `\b` or a lookahead may read) always fit in
 * this many characters. The largest match is a PEM block: 16 KiB of body plus its two header lines.
 */
export const credentialPatternReach = 17 * 1024;

/**
 * No credential match is shorter than this: "Basic " and an 8-character token. Every other shape is
 * longer (an AWS key id is 20, an OpenAI key 23, a JWT 32, a PEM block 52). Text shorter than this,
 * such as most object keys and ids in an event, cannot hold a credential and is not scanned.
 */
export const credentialPatternShortest = 14;
