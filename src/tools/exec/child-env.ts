/** What a command gets from PyClaw's own environment without being asked: nothing that could be a secret. */
const passedThrough = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TERM',
  'TMPDIR',
];

/**
 * The environment of a command: the harmless variables of `base`, plus each configured entry. `NAME`
 * copies the variable as `${env:NAME}`; `NAME=value` resolves the references in value. `resolve` is the
 * secret resolver's, so every value that comes from a secret is known to the redactor before the
 * command can print it.
 */
export function childEnv(
  base: NodeJS.ProcessEnv,
  entries: readonly string[],
  resolve: (text: string) => string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of passedThrough) {
    const value = base[name];
    if (value !== undefined) env[name] = value;
  }
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const name = equals === -1 ? entry : entry.slice(0, equals);
    env[name] = resolve(equals === -1 ? `\${env:${name}}` : entry.slice(equals + 1));
  }
  return env;
}
