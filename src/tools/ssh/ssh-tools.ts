import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool, type Tool } from '../contract.js';
import { resolvePrivateKey, type SshSecrets } from './private-key.js';
import { type RemoteResult, runRemoteCommand } from './remote-command.js';
import { remoteOutput } from './remote-output.js';
import type { SshConfig } from './ssh-config.js';
import { systemdTools } from './systemd-tools.js';

/** Runs `command` on the configured host `hostName`; `timeoutMs` overrides the configured one. */
export type RunOnHost = (
  hostName: string,
  command: string,
  signal: AbortSignal,
  timeoutMs?: number,
) => Promise<RemoteResult>;

/** The `host` input of every SSH tool: the names under `ssh.hosts`. */
export type HostSchema = z.ZodEnum<Readonly<Record<string, string>>>;

/** The SSH tools for the hosts in `config`; none when it names no host. */
export function sshTools(config: SshConfig, secrets: SshSecrets): Tool[] {
  const names = Object.keys(config.hosts);
  const [first, ...rest] = names;
  if (first === undefined) return [];
  const host = z.enum([first, ...rest]).describe(`The remote host, one of: ${names.join(', ')}`);
  const runOnHost: RunOnHost = (hostName, command, signal, timeoutMs = config.timeoutMs) => {
    const target = config.hosts[hostName];
    if (!target) throw new Error(`no ssh host named ${hostName}`);
    return runRemoteCommand(
      {
        name: hostName,
        host: target.host,
        port: target.port,
        user: target.user,
        file: expandHome(target.knownHostsFile),
        privateKey: resolvePrivateKey(hostName, target.key, secrets),
        keyReference: target.key,
        command,
        timeoutMs,
        maxOutputBytes: config.maxOutputBytes,
      },
      signal,
    );
  };
  return [sshExec(host, runOnHost, config), ...systemdTools(host, runOnHost, config)];
}

function sshExec(host: HostSchema, runOnHost: RunOnHost, config: SshConfig): Tool {
  return defineTool({
    name: 'ssh.exec',
    description:
      "Run a shell command on a remote host over SSH; returns its stdout, stderr and exit code. It runs in the remote user's shell, without a terminal or stdin.",
    input: z.strictObject({
      host,
      command: z.string().min(1).describe('Shell command line to run on the host'),
      timeoutSeconds: z
        .int()
        .min(1)
        .max(86_400)
        .optional()
        .describe(`Kill the command after this long; default ${config.timeoutMs / 1000}`),
    }),
    annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
    async execute(_ctx, input, signal) {
      const timeoutMs = input.timeoutSeconds === undefined ? config.timeoutMs : input.timeoutSeconds * 1000;
      const result = await runOnHost(input.host, input.command, signal, timeoutMs);
      return remoteOutput(result, { timeoutMs, maxOutputBytes: config.maxOutputBytes });
    },
  });
}

/** `~/…` under the home directory of the user running PyClaw. */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
