import { Bot, type Context } from 'grammy';
import type { Update } from 'grammy/types';
import { errorMessage, systemClock } from '../../core/index.js';
import {
  bindSession,
  boundSession,
  chatOfSession,
  engagePanic,
  findPendingApproval,
  lastReceivedUpdate,
  type PyclawApp,
  pendingApprovals,
  type RunSessionOptions,
  receiveUpdate,
  releasePanic,
  runInSession,
  type TurnOutcome,
  takeUpdate,
  untakenUpdates,
} from '../../runtime/index.js';
import { approvalKeyboard, choiceTerm, describeChoice, parseApprovalButton } from './approval-buttons.js';
import { retryAfterFloodWait } from './retry-after.js';
import { splitMessage } from './split-message.js';

const channel = 'telegram';
const typingEveryMs = 4_000;
const pollRetryMs = 1_000;

export interface TelegramChannelOptions {
  /** The bot token, already resolved from its secret reference. */
  token: string;
  /** How long one getUpdates call waits for updates (Telegram's long-polling timeout). */
  pollSeconds?: number;
  /** Where turns' file tools work; default the current directory. */
  workspaceRoots?: string[];
}

/**
 * The Telegram channel over grammY with long polling: each allowed user's chat is bound to a session,
 * a text message runs a turn there and the answer comes back in parts of at most 4096 characters,
 * approvals arrive as inline buttons. Each update is kept in a durable inbox before Telegram is told it
 * arrived, and marked taken in the transaction that records its message; at start the inbox's untaken
 * updates are handled first, so a restart neither loses nor repeats one.
 */
export class TelegramChannel {
  private readonly bot: Bot;
  private readonly polling = new AbortController();
  private readonly chatQueues = new Map<string, Promise<void>>();
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly app: PyclawApp,
    private readonly options: TelegramChannelOptions,
  ) {
    const { apiRoot } = app.config.telegram;
    this.bot = new Bot(options.token, apiRoot ? { client: { apiRoot } } : {});
    this.bot.api.config.use(retryAfterFloodWait());
    this.bot.catch((error) => app.logger.error({ err: errorMessage(error.error) }, 'telegram update failed'));
    this.bot.use((ctx, next) => (this.isAllowed(ctx) ? next() : this.refuse(ctx)));
    this.bot.command('new', (ctx) => this.startNewSession(ctx));
    this.bot.command('status', (ctx) => this.reportStatus(ctx));
    this.bot.command('panic', (ctx) => this.panic(ctx));
    this.bot.on('message:text', (ctx) => this.takeMessage(ctx));
    this.bot.on('callback_query:data', (ctx) => this.takeButton(ctx));
  }

  /** Connects (getMe) and starts polling in the background. */
  static async start(app: PyclawApp, options: TelegramChannelOptions): Promise<TelegramChannel> {
    const telegram = new TelegramChannel(app, options);
    await telegram.bot.init(grammySignal(telegram.polling.signal));
    telegram.loop = telegram.poll();
    return telegram;
  }

  /**
   * Stops polling and the chats' turns, and waits for them to wind down (so nothing of theirs is
   * written after the app closes); a stopped turn is left in the log to resume.
   */
  async stop(): Promise<void> {
    this.polling.abort();
    await this.loop;
    await Promise.all(this.chatQueues.values());
  }

  /** Sends a turn's outcome to the chat bound to its session, when there is one (for resumed turns). */
  async deliver(sessionId: string, outcome: TurnOutcome): Promise<boolean> {
    const chatId = chatOfSession(this.app.db, channel, sessionId);
    if (chatId === undefined) return false;
    await this.send(chatId, outcome);
    return true;
  }

  private async poll(): Promise<void> {
    for (const update of untakenUpdates(this.app.db, channel)) await this.bot.handleUpdate(update as Update);
    const last = lastReceivedUpdate(this.app.db, channel);
    let offset = last === undefined ? undefined : last + 1;
    while (!this.polling.signal.aborted) {
      let updates: Update[];
      try {
        updates = await this.bot.api.getUpdates(
          { offset, timeout: this.options.pollSeconds ?? 25, allowed_updates: ['message', 'callback_query'] },
          grammySignal(this.polling.signal),
        );
      } catch (error) {
        if (this.polling.signal.aborted) return;
        this.app.logger.warn({ err: errorMessage(error) }, 'telegram getUpdates failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, pollRetryMs));
        continue;
      }
      for (const update of updates) {
        offset = Math.max(offset ?? 0, update.update_id + 1);
        if (receiveUpdate(this.app.db, channel, update.update_id, update, systemClock.now())) {
          await this.bot.handleUpdate(update);
        }
      }
    }
  }

  private isAllowed(ctx: Context): boolean {
    return ctx.from !== undefined && this.app.config.telegram.allowedUsers.includes(ctx.from.id);
  }

  private async refuse(ctx: Context): Promise<void> {
    this.take(ctx.update.update_id);
    const who = ctx.from?.id ?? 'unknown';
    const text = `PyClaw does not know you (Telegram user ${who}). Its owner can add ${who} to telegram.allowedUsers.`;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (ctx.chat) await ctx.reply(text);
  }

  private async startNewSession(ctx: Context): Promise<void> {
    this.take(ctx.update.update_id);
    const sessionId = this.newSession(chatIdOf(ctx));
    await ctx.reply(`New session ${sessionId}.`);
  }

  private async reportStatus(ctx: Context): Promise<void> {
    this.take(ctx.update.update_id);
    const sessionId = boundSession(this.app.db, channel, chatIdOf(ctx));
    if (!sessionId) {
      await ctx.reply('No session yet: send a message to start one.');
      return;
    }
    const session = this.app.log.getSession(sessionId);
    const waiting = pendingApprovals(this.app.db, this.app.log, sessionId).length;
    await ctx.reply(
      [
        `Session ${sessionId} (agent ${session?.agentId ?? 'default'})`,
        `${waiting} approval${waiting === 1 ? '' : 's'} waiting`,
        this.app.panic.isEngaged() ? 'panic is ON' : 'panic is off',
      ].join('\n'),
    );
  }

  /** `/panic` engages it (for every process on this home), `/panic off` releases it. */
  private async panic(ctx: Context): Promise<void> {
    this.take(ctx.update.update_id);
    const by = `user:telegram:${ctx.from?.id}`;
    if (ctx.match === 'off') {
      releasePanic(this.app, by);
      await ctx.reply('Panic released: tool calls may run again.');
    } else {
      engagePanic(this.app, by, 'from Telegram');
      await ctx.reply(
        '🛑 Panic engaged: running tool calls are stopped and new ones blocked. /panic off releases it.',
      );
    }
  }

  private takeMessage(ctx: Context): void {
    const chatId = chatIdOf(ctx);
    const updateId = ctx.update.update_id;
    const text = ctx.message?.text ?? '';
    this.enqueue(chatId, updateId, async () => {
      const sessionId = boundSession(this.app.db, channel, chatId) ?? this.newSession(chatId);
      await this.runTurn(chatId, {
        sessionId,
        message: text,
        origin: { channel, externalUserId: String(ctx.from?.id), externalChatId: chatId },
        onMessageRecorded: () => this.take(updateId),
      });
      this.take(updateId);
    });
  }

  private async takeButton(ctx: Context): Promise<void> {
    const updateId = ctx.update.update_id;
    this.take(updateId);
    const button = parseApprovalButton(ctx.callbackQuery?.data ?? '');
    if (!button) {
      await ctx.answerCallbackQuery({ text: 'This button is not PyClaw’s.' });
      return;
    }
    let pending: ReturnType<typeof findPendingApproval>;
    try {
      pending = findPendingApproval(this.app.db, this.app.log, button.approvalId);
    } catch {
      await ctx.answerCallbackQuery({ text: 'This approval was already answered.' });
      return;
    }
    const outcome = describeChoice(button.choice);
    await ctx.answerCallbackQuery({ text: outcome });
    await ctx.editMessageText(
      `${ctx.callbackQuery?.message?.text ?? ''}\n\n→ ${outcome} by ${ctx.from?.first_name ?? 'you'}`,
    );
    const decision = button.choice === 'deny' ? 'deny' : 'approve';
    this.enqueue(chatIdOf(ctx), updateId, () =>
      this.runTurn(chatIdOf(ctx), {
        sessionId: pending.sessionId,
        answer: {
          approvalId: pending.approvalId,
          decision,
          by: `user:telegram:${ctx.from?.id}`,
          term: choiceTerm(button.choice),
        },
      }),
    );
  }

  /** Runs work for a chat after the chat's earlier work, so a chat's turns never overlap. */
  private enqueue(chatId: string, updateId: number, work: () => Promise<void>): void {
    const previous = this.chatQueues.get(chatId) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        await work();
      } catch (error) {
        this.take(updateId);
        await this.bot.api.sendMessage(chatId, `⚠️ ${errorMessage(error)}`);
      }
    });
    this.chatQueues.set(
      chatId,
      next.catch((error) => this.app.logger.error({ err: errorMessage(error) }, 'telegram reply failed')),
    );
  }

  private async runTurn(chatId: string, options: RunSessionOptions): Promise<void> {
    const typing = this.keepTyping(chatId);
    try {
      const result = await runInSession(this.app, {
        workspaceRoots: this.options.workspaceRoots,
        ...options,
        hooks: { ...options.hooks, signal: this.polling.signal },
      });
      const outcomes = [...result.resumed, ...(result.outcome ? [result.outcome] : [])];
      for (const outcome of outcomes) await this.send(chatId, outcome);
      if (options.message !== undefined && !result.outcome) {
        await this.bot.api.sendMessage(
          chatId,
          'This session is waiting for an approval above; answer it first.',
        );
      }
    } finally {
      typing.stop();
    }
  }

  private async send(chatId: string, outcome: TurnOutcome): Promise<void> {
    if (outcome.status === 'completed') {
      for (const part of splitMessage(outcome.answer || '(no answer)'))
        await this.bot.api.sendMessage(chatId, part);
    } else if (outcome.status === 'failed') {
      await this.bot.api.sendMessage(chatId, `⚠️ The turn failed [${outcome.code}]: ${outcome.error}`);
    } else {
      const { approval } = outcome;
      await this.bot.api.sendMessage(
        chatId,
        `Approval needed: ${approval.tool}\n${approval.summary}${approval.inDoubt ? '\n(It may already have run once before an interruption.)' : ''}`,
        { reply_markup: approvalKeyboard(approval.approvalId) },
      );
    }
  }

  private keepTyping(chatId: string): { stop(): void } {
    const sendTyping = () =>
      this.bot.api
        .sendChatAction(chatId, 'typing')
        .catch((error) =>
          this.app.logger.warn({ err: errorMessage(error) }, 'telegram typing indicator failed'),
        );
    void sendTyping();
    const timer = setInterval(sendTyping, typingEveryMs);
    return { stop: () => clearInterval(timer) };
  }

  private newSession(chatId: string): string {
    const session = this.app.log.createSession({
      agentId: this.app.config.telegram.agent,
      title: `telegram chat ${chatId}`,
    });
    bindSession(this.app.db, channel, chatId, session.id, systemClock.now());
    return session.id;
  }

  private take(updateId: number): void {
    takeUpdate(this.app.db, channel, updateId, systemClock.now());
  }
}

/** grammY types abort signals with a polyfill's class; Node's own signal is what it gets at run time. */
function grammySignal(signal: AbortSignal) {
  return signal as unknown as Parameters<Bot['init']>[0];
}

function chatIdOf(ctx: Context): string {
  return String(ctx.chat?.id ?? ctx.from?.id);
}
