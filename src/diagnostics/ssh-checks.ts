import { errorMessage, PyclawError } from '../core/index.js';
import type { PyclawApp } from '../runtime/index.js';
import { expandHome, knownHostEntries, resolvePrivateKey, type SshHost } from '../tools/index.js';
import { type CheckResult, ok } from './check-result.js';
import { agentsUse } from './tool-use.js';

type ParseKey = (text: string) => Error | { type: string } | { type: string }[];

/**
 * For each host under `ssh.hosts`: its key resolves from its secret to a private key ssh2 can use
 * without a passphrase, and its known_hosts file lists a key for it (nothing is trusted on first use).
 * A problem fails when an agent uses the SSH tools, else it warns.
 */
export async function sshChecks(app: PyclawApp): Promise<CheckResult[]> {
  const hosts = Object.entries(app.config.ssh.hosts);
  if (hosts.length === 0) return [];
  const { utils } = (await import('ssh2')).default;
  const status = agentsUse(app, ['ssh.*']) ? 'fail' : 'warn';
  const result = (check: string, outcome: Outcome): CheckResult =>
    'problem' in outcome
      ? { area: 'tools', name: check, status, detail: outcome.problem, fix: outcome.fix }
      : ok('tools', check, outcome.detail);
  return hosts.flatMap(([name, host]) => [
    result(`ssh ${name} key`, keyProblem(app, name, host, utils.parseKey)),
    result(`ssh ${name} known host`, knownHostProblem(name, host)),
  ]);
}

type Outcome = { detail: string } | { problem: string; fix: string };

/** The hint a PyclawError carries (say, `chmod 600` for a secrets file others can read), else `fix`. */
const failure = (error: unknown, fix: string): Outcome => ({
  problem: errorMessage(error),
  fix: error instanceof PyclawError && error.hint ? error.hint : fix,
});

function keyProblem(app: PyclawApp, name: string, host: SshHost, parseKey: ParseKey): Outcome {
  const storeIt = `store the private key as ${host.key} (for secret:NAME, a line NAME=<base64 -w0 of the key file> in ${app.paths.secrets}, chmod 600)`;
  let text: string;
  try {
    text = resolvePrivateKey(name, host.key, app.secrets);
  } catch (error) {
    return failure(error, storeIt);
  }
  const parsed = parseKey(text);
  if (parsed instanceof Error) {
    return {
      problem: `${host.key} (the key of ssh host ${name}) cannot be used: ${parsed.message}`,
      fix: `PyClaw cannot type a passphrase: remove it from a copy of the key (ssh-keygen -p -N '' -f <copy>), then ${storeIt}`,
    };
  }
  const type = Array.isArray(parsed) ? parsed[0]?.type : parsed.type;
  return { detail: `${type} private key from ${host.key}` };
}

function knownHostProblem(name: string, host: SshHost): Outcome {
  const file = expandHome(host.knownHostsFile);
  const scan = `check the host's fingerprint, then: ssh-keyscan -p ${host.port} ${host.host} >> ${file}`;
  try {
    const trusted = knownHostEntries({ name, host: host.host, port: host.port, file }).filter(
      (entry) => !entry.revoked,
    );
    if (trusted.length > 0) return { detail: `${file} lists ${trusted.length} key(s) for it` };
    const listed = host.port === 22 ? host.host : `[${host.host}]:${host.port}`;
    return { problem: `${file} lists no key for ${listed}, so connecting is refused`, fix: scan };
  } catch (error) {
    return failure(error, scan);
  }
}
