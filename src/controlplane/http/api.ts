import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Grant, GrantTerm } from '../../policy/index.js';
import {
  effectiveGrantStatus,
  engagePanic,
  findPendingApproval,
  type PyclawApp,
  pendingApprovals,
  releasePanic,
  runInSession,
} from '../../runtime/index.js';
import { consolePage } from '../console/console-page.js';
import { constantTimeEqual } from './constant-time.js';
import { errorResponse, httpError } from './http-errors.js';
import { sessionEventsStream } from './session-events-stream.js';

export interface HttpApiOptions {
  /** Every /v1 route but health wants `Authorization: Bearer <token>`. */
  token: string;
  /** Largest request body accepted. */
  maxBodyBytes: number;
}

const newSessionSchema = z.strictObject({ agentId: z.string().min(1).default('default') });
const messageSchema = z.strictObject({
  text: z.string().min(1),
  /** Who sent it, as the caller knows them. */
  userId: z.string().min(1).optional(),
});
/** An answer; approving for longer than once (`until` with `minutes`, `session`, `forever`) grants calls like it. */
const answerSchema = z
  .strictObject({
    decision: z.enum(['approve', 'deny']),
    scope: z.enum(['once', 'until', 'session', 'forever']).default('once'),
    minutes: z.number().positive().optional(),
  })
  .refine((answer) => (answer.scope === 'until') === (answer.minutes !== undefined), {
    message: 'minutes goes with scope "until", and only with it',
    path: ['minutes'],
  });
const panicSchema = z.strictObject({ engaged: z.boolean(), reason: z.string().min(1).optional() });
const seqSchema = z.coerce.number().int().nonnegative();

/**
 * The REST API over one PyClaw home: agents, sessions, messages (each runs a turn and answers with its
 * outcome), live session events as SSE, approvals, grants and the panic switch. Errors are JSON with a code and one-line message.
 */
export function createHttpApi(app: PyclawApp, options: HttpApiOptions): Hono {
  const api = new Hono();
  api.onError((error, c) => errorResponse(c, error));
  api.notFound((c) =>
    errorResponse(c, httpError('http.not-found', `no route ${c.req.method} ${c.req.path}`)),
  );
  api.use(
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) =>
        errorResponse(c, httpError('http.too-large', `request body over ${options.maxBodyBytes} bytes`)),
    }),
  );

  api.get('/', (c) => c.html(consolePage));
  api.get('/v1/health', (c) => c.json({ ok: true }));
  api.use('/v1/*', async (c, next) => {
    const given = c.req.header('authorization')?.match(/^Bearer (.+)$/)?.[1];
    if (!given || !constantTimeEqual(given, options.token)) {
      return errorResponse(c, httpError('http.unauthorized', 'missing or wrong bearer token'));
    }
    await next();
  });

  api.get('/v1/agents', (c) =>
    c.json(
      app
        .registry()
        .list()
        .map(({ id, name, identityVersion, tools }) => ({ id, name, identityVersion, tools })),
    ),
  );

  api.get('/v1/sessions', (c) => c.json(app.log.listSessions({ limit: 200 })));
  api.post('/v1/sessions', async (c) => {
    const { agentId } = await parseBody(c.req.raw, newSessionSchema);
    app.registry().get(agentId);
    return c.json(app.log.createSession({ agentId }), 201);
  });
  api.get('/v1/sessions/:id', (c) => c.json(existingSession(app, c.req.param('id'))));

  api.post('/v1/sessions/:id/messages', async (c) => {
    const session = existingSession(app, c.req.param('id'));
    const { text, userId } = await parseBody(c.req.raw, messageSchema);
    return c.json(
      await runInSession(app, {
        sessionId: session.id,
        message: text,
        origin: { channel: 'http', externalUserId: userId },
      }),
    );
  });

  api.get('/v1/sessions/:id/events', (c) => {
    const session = existingSession(app, c.req.param('id'));
    const after = c.req.header('last-event-id') ?? c.req.query('after') ?? '0';
    const parsed = seqSchema.safeParse(after);
    if (!parsed.success) throw httpError('http.bad-request', `"${after}" is not a seq to resume after`);
    return sessionEventsStream(c, app.log, session.id, parsed.data);
  });

  api.get('/v1/approvals', (c) => c.json(pendingApprovals(app.db, app.log, c.req.query('session'))));
  api.post('/v1/approvals/:id', async (c) => {
    const { decision, scope, minutes } = await parseBody(c.req.raw, answerSchema);
    const term: GrantTerm = scope === 'until' ? { scope, durationMs: (minutes ?? 0) * 60_000 } : { scope };
    const pending = findPendingApproval(app.db, app.log, c.req.param('id'));
    return c.json(
      await runInSession(app, {
        sessionId: pending.sessionId,
        answer: { approvalId: pending.approvalId, decision, by: 'user:http', term },
      }),
    );
  });

  // Grants in force (`?all=true`: also expired and revoked ones), each with its status.
  api.get('/v1/grants', (c) => {
    const all = c.req.query('all') === 'true';
    const shown = app.grants.list().map((grant) => grantJson(app, grant));
    return c.json(
      all ? shown : shown.filter((grant) => grant.status !== 'expired' && grant.status !== 'revoked'),
    );
  });
  api.delete('/v1/grants/:id', (c) =>
    c.json(grantJson(app, app.grants.revoke(c.req.param('id'), 'user:http'))),
  );

  api.get('/v1/panic', (c) => c.json(app.panic.status()));
  api.post('/v1/panic', async (c) => {
    const { engaged, reason } = await parseBody(c.req.raw, panicSchema);
    return c.json(engaged ? engagePanic(app, 'user:http', reason) : releasePanic(app, 'user:http'));
  });

  api.get('/v1/artifacts/:ref', (c) => {
    const ref = c.req.param('ref');
    const info = app.artifacts.stat(ref);
    if (!info) throw httpError('http.not-found', `no artifact ${ref}`);
    return new Response(Readable.toWeb(app.artifacts.get(ref)) as ReadableStream, {
      headers: {
        'content-type': info.mime,
        'content-length': String(info.size),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'",
      },
    });
  });

  return api;
}

/** A grant as the console shows it: what it covers in one line, and whether it holds now. */
function grantJson(app: PyclawApp, grant: Grant) {
  const { tool, command, path, domain } = grant.match;
  return { ...grant, tool, pattern: command ?? domain ?? path, status: effectiveGrantStatus(app, grant) };
}

function existingSession(app: PyclawApp, id: string) {
  const session = app.log.getSession(id);
  if (!session) throw httpError('http.not-found', `no session ${id}`);
  return session;
}

async function parseBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw httpError('http.bad-request', 'the body is not JSON');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const key = [...issue.path, ...('keys' in issue ? [issue.keys[0]] : [])].join('.');
  throw httpError('http.bad-request', `${key ? `${key}: ` : ''}${issue.message}`);
}
