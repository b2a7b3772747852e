import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/serve.js';

const startServer = useServer();

describe('grants and panic over the HTTP API', () => {
  it('approves for the session with a grant, lists and revokes it, and engages and releases panic', async () => {
    const server = await startServer();
    const sessionId = (await server.call('/v1/sessions', { method: 'POST', json: {} })).body.id;
    const message = () =>
      server.call(`/v1/sessions/${sessionId}/messages`, { method: 'POST', json: { text: 'write' } });

    const asked = await message();
    const approvalId = asked.body.outcome.approval.approvalId;
    const unpaired = await server.call(`/v1/approvals/${approvalId}`, {
      method: 'POST',
      json: { decision: 'approve', scope: 'until' },
    });
    expect(unpaired).toMatchObject({ status: 400, body: { error: { code: 'http.bad-request' } } });
    const approved = await server.call(`/v1/approvals/${approvalId}`, {
      method: 'POST',
      json: { decision: 'approve', scope: 'session' },
    });
    expect(approved.body.resumed).toEqual([expect.objectContaining({ status: 'completed' })]);

    const grants = await server.call('/v1/grants');
    expect(grants.body).toEqual([
      expect.objectContaining({ tool: 'fs.write', scope: 'session', sessionId, status: 'live' }),
    ]);
    // the grant covers the next write in this session: no approval asked
    expect((await message()).body.outcome).toMatchObject({ status: 'completed' });

    const panic = await server.call('/v1/panic', {
      method: 'POST',
      json: { engaged: true, reason: 'drill' },
    });
    expect(panic.body).toMatchObject({ engaged: true, reason: 'drill', changedBy: 'user:http' });
    expect((await server.call('/v1/grants')).body[0].status).toBe('suspended (panic)');
    expect((await server.call('/v1/panic', { method: 'POST', json: { engaged: false } })).body.engaged).toBe(
      false,
    );

    const grantId = grants.body[0].id;
    const revoked = await server.call(`/v1/grants/${grantId}`, { method: 'DELETE' });
    expect(revoked.body).toMatchObject({ id: grantId, status: 'revoked', revokedBy: 'user:http' });
    expect((await server.call('/v1/grants')).body).toEqual([]);
    expect((await server.call('/v1/grants?all=true')).body).toHaveLength(1);
    expect(await server.call(`/v1/grants/${grantId}`, { method: 'DELETE' })).toMatchObject({
      status: 409,
      body: { error: { code: 'policy.grant-revoked' } },
    });
    expect((await message()).body.outcome).toMatchObject({ status: 'waiting' });
  });
});
