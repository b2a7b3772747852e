import { z } from 'zod';
import { defineTool, type Tool, type ToolAnnotations } from '../contract.js';
import { remoteOutput } from './remote-output.js';
import { shellQuote } from './shell-quote.js';
import type { SshConfig } from './ssh-config.js';
import type { HostSchema, RunOnHost } from './ssh-tools.js';

/** systemd's unit name characters; `-` may lead (`-.mount` is the root mount), hence `--` before it. */
const unit = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9:_.@\\-]+$/, 'expected a systemd unit name like nginx.service')
  .describe('Unit name, e.g. nginx.service');

const controlAnnotations: ToolAnnotations = {
  readOnly: false,
  destructive: true,
  idempotent: true,
  openWorld: true,
};

interface UnitAction {
  action: string;
  description: string;
  annotations: ToolAnnotations;
  command(unitName: string): string;
  success?(exitCode: number): boolean;
}

function control(action: string): (unitName: string) => string {
  return (unitName) => `systemctl --no-ask-password ${action} -- ${shellQuote(unitName)}`;
}

const actions: UnitAction[] = [
  {
    action: 'status',
    description: 'Show the state and latest log lines of a systemd unit on a remote host.',
    annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
    command: (unitName) => `systemctl --no-pager --full status -- ${shellQuote(unitName)}`,
    // LSB status codes: 1-3 mean "not running", which is an answer, not a failure; 4 is "no such unit".
    success: (exitCode) => exitCode <= 3,
  },
  {
    action: 'start',
    description: 'Start a systemd unit on a remote host.',
    annotations: controlAnnotations,
    command: control('start'),
  },
  {
    action: 'stop',
    description: 'Stop a systemd unit on a remote host.',
    annotations: controlAnnotations,
    command: control('stop'),
  },
  {
    action: 'restart',
    description: 'Restart a systemd unit on a remote host.',
    annotations: { ...controlAnnotations, idempotent: false },
    command: control('restart'),
  },
];

/** `ssh.systemd.<action>` for each action, and `ssh.journalctl`. */
export function systemdTools(host: HostSchema, runOnHost: RunOnHost, config: SshConfig): Tool[] {
  const limits = { timeoutMs: config.timeoutMs, maxOutputBytes: config.maxOutputBytes };
  const unitTools = actions.map((spec) =>
    defineTool({
      name: `ssh.systemd.${spec.action}`,
      description: spec.description,
      input: z.strictObject({ host, unit }),
      annotations: spec.annotations,
      async execute(_ctx, input, signal) {
        const result = await runOnHost(input.host, spec.command(input.unit), signal);
        return remoteOutput(result, limits, spec.success);
      },
    }),
  );
  const journal = defineTool({
    name: 'ssh.journalctl',
    description: "Read the last lines of a systemd unit's journal on a remote host.",
    input: z.strictObject({
      host,
      unit,
      lines: z.int().min(1).max(10_000).default(100).describe('How many of the latest lines'),
      since: z
        .string()
        .min(1)
        .max(100)
        .regex(/^[^\p{Cc}]+$/u, 'expected one line, like "1 hour ago" or "2025-01-31 08:00"')
        .optional()
        .describe(
          'Only lines from this time on, as journalctl reads it: "1 hour ago", "today", "2025-01-31 08:00"',
        ),
    }),
    annotations: { readOnly: true, destructive: false, idempotent: true, openWorld: true },
    async execute(_ctx, input, signal) {
      const since = input.since === undefined ? '' : ` --since=${shellQuote(input.since)}`;
      const command = `journalctl --no-pager --unit=${shellQuote(input.unit)} --lines=${input.lines}${since}`;
      return remoteOutput(await runOnHost(input.host, command, signal), limits);
    },
  });
  return [...unitTools, journal];
}
