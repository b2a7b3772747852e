import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Bot API call as the emulator received it. */
export interface BotCall {
  method: string;
  payload: Record<string, unknown>;
}

/** A message the bot sent, as the chat shows it now (after any edit). */
export interface SentMessage {
  chatId: number;
  messageId: number;
  text: string;
  /** The data of its inline buttons, row by row flattened. */
  buttons: string[];
}

export interface TelegramEmulator {
  /** For grammY's `client.apiRoot`. */
  apiRoot: string;
  token: string;
  calls: BotCall[];
  /** A user writes in their private chat (chat id = user id); returns the update id. */
  sendText(userId: number, text: string): number;
  /** A user presses an inline button under a message the bot sent. */
  pressButton(userId: number, messageId: number, data: string): number;
  /**
   * Offers an update again, as Telegram does when the bot died after handling it but before a later
   * getUpdates confirmed it.
   */
  redeliver(updateId: number): void;
  /** The next `times` calls of `method` answer 429 with `retry_after` seconds. */
  floodWait(method: string, retryAfter: number, times?: number): void;
  /** The messages the bot sent to a chat, in order. */
  sent(chatId: number): SentMessage[];
  /** Resolves when `check` holds over the calls so far; rejects after `timeoutMs`. */
  waitFor(check: (calls: BotCall[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The Telegram Bot API over real HTTP (`/bot<token>/<method>`, JSON in, `{ ok, result }` out) for the
 * methods PyClaw uses: getMe, getUpdates with long polling and offset confirmation (an update stays
 * offered until a later call's offset passes it), sendMessage, editMessageText, answerCallbackQuery,
 * sendChatAction, and flood control (429 with `parameters.retry_after`).
 */
export async function startTelegramEmulator(token = '123456:TEST-token'): Promise<TelegramEmulator> {
  const calls: BotCall[] = [];
  const updates: Array<{ update_id: number } & Record<string, unknown>> = [];
  const floods = new Map<string, { retryAfter: number; times: number }>();
  const waitingPolls = new Set<() => void>();
  let nextUpdateId = 1000;
  let nextMessageId = 1;
  const sent: SentMessage[] = [];

  const delivered = new Map<number, { update_id: number } & Record<string, unknown>>();
  const pushUpdate = (update: Record<string, unknown>) => {
    const updateId = nextUpdateId++;
    const full = { update_id: updateId, ...update };
    delivered.set(updateId, full);
    updates.push(full);
    for (const wake of waitingPolls) wake();
    return updateId;
  };
  const user = (id: number) => ({ id, is_bot: false, first_name: `User${id}` });
  const chat = (id: number) => ({ id, type: 'private', first_name: `User${id}` });
  const now = () => Math.floor(Date.now() / 1000);

  const methods: Record<string, (payload: Record<string, unknown>) => Promise<unknown> | unknown> = {
    getMe: () => ({ id: 42, is_bot: true, first_name: 'PyClaw', username: 'pyclaw_test_bot' }),
    async getUpdates(payload) {
      const offset = Number(payload.offset ?? 0);
      if (offset > 0) updates.splice(0, updates.length, ...updates.filter((u) => u.update_id >= offset));
      if (updates.length === 0 && Number(payload.timeout ?? 0) > 0) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            waitingPolls.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, Number(payload.timeout) * 1000);
          waitingPolls.add(wake);
        });
      }
      return updates.filter((u) => u.update_id >= offset);
    },
    sendMessage(payload) {
      const keyboard = (payload.reply_markup as { inline_keyboard?: Array<Array<{ callback_data: string }>> })
        ?.inline_keyboard;
      const message: SentMessage = {
        chatId: Number(payload.chat_id),
        messageId: nextMessageId++,
        text: String(payload.text),
        buttons: keyboard?.flat().map((button) => button.callback_data) ?? [],
      };
      sent.push(message);
      return { message_id: message.messageId, date: now(), chat: chat(message.chatId), text: message.text };
    },
    editMessageText(payload) {
      const message = sent.find((m) => m.messageId === payload.message_id);
      if (!message) throw new Error(`no message ${payload.message_id}`);
      Object.assign(message, { text: String(payload.text), buttons: [] });
      return { message_id: message.messageId, date: now(), chat: chat(message.chatId), text: message.text };
    },
    answerCallbackQuery: () => true,
    sendChatAction: () => true,
  };

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const match = request.url?.match(/^\/bot([^/]+)\/(\w+)$/);
    if (!match || match[1] !== token)
      return reply(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = match[2] as string;
    const text = Buffer.concat(chunks).toString('utf8');
    const payload = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    calls.push({ method, payload });
    const flood = floods.get(method);
    if (flood && flood.times > 0) {
      flood.times--;
      return reply(response, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${flood.retryAfter}`,
        parameters: { retry_after: flood.retryAfter },
      });
    }
    const handler = methods[method];
    if (!handler)
      return reply(response, 404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    reply(response, 200, { ok: true, result: await handler(payload) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    calls,
    sendText(userId, text) {
      // Telegram marks a leading /command as a bot_command entity; bots find commands by it
      const command = text.match(/^\/\w+/)?.[0];
      const entities = command ? [{ type: 'bot_command', offset: 0, length: command.length }] : undefined;
      return pushUpdate({
        message: {
          message_id: nextMessageId++,
          date: now(),
          from: user(userId),
          chat: chat(userId),
          text,
          entities,
        },
      });
    },
    pressButton(userId, messageId, data) {
      const message = sent.find((m) => m.messageId === messageId);
      return pushUpdate({
        callback_query: {
          id: `cb-${nextUpdateId}`,
          from: user(userId),
          chat_instance: `ci-${userId}`,
          data,
          message: { message_id: messageId, date: now(), chat: chat(userId), text: message?.text ?? '' },
        },
      });
    },
    redeliver(updateId) {
      const update = delivered.get(updateId);
      if (!update) throw new Error(`no update ${updateId}`);
      updates.unshift(update);
    },
    floodWait: (method, retryAfter, times = 1) => floods.set(method, { retryAfter, times }),
    sent: (chatId) => sent.filter((message) => message.chatId === chatId),
    async waitFor(check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check(calls)) {
        if (Date.now() > deadline)
          throw new Error(
            `telegram emulator: condition not met; calls: ${JSON.stringify(calls.map((c) => c.method))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const wake of waitingPolls) wake();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
