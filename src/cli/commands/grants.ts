import type { Grant } from '../../policy/index.js';
import { effectiveGrantStatus } from '../../runtime/index.js';
import { formatTime, printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

/** `pyclaw grants list`: every grant, newest first, with whether it holds right now. */
export function list(options: JsonOption): Promise<void> {
  return withApp((app) => {
    const grants = app.grants.list().map((grant) => ({ ...grant, status: effectiveGrantStatus(app, grant) }));
    if (options.json) return printJson(grants);
    printTable(
      grants,
      [
        { header: 'GRANT', value: (g) => g.id },
        { header: 'STATUS', value: (g) => g.status },
        { header: 'AGENT', value: (g) => g.agentId },
        { header: 'SCOPE', value: (g) => scopeText(g) },
        { header: 'COVERS', value: (g) => coversText(g) },
        { header: 'GRANTED', value: (g) => `${formatTime(g.createdAt)} by ${g.grantedBy}` },
      ],
      'no grants',
    );
  });
}

/** `pyclaw grants revoke <id>`: the grant stops covering calls from now on. */
export function revoke(id: string, options: JsonOption & { reason?: string }): Promise<void> {
  return withApp((app) => {
    const grant = app.grants.revoke(id, 'user:cli', options.reason);
    if (options.json) return printJson(grant);
    process.stdout.write(`revoked grant ${grant.id} (${coversText(grant)})\n`);
  });
}

function scopeText(grant: Grant): string {
  if (grant.scope === 'until') return `until ${formatTime(grant.expiresAt)}`;
  if (grant.scope === 'session') return `session ${grant.sessionId}`;
  return grant.scope;
}

function coversText(grant: Grant): string {
  const { tool, command, path, domain } = grant.match;
  return [tool, command && `"${command}"`, path, domain].filter(Boolean).join(' ');
}
