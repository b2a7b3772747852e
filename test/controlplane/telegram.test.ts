import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramChannel } from '../../src/controlplane/index.js';
import { openApp, type PyclawApp } from '../../src/runtime/index.js';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const owner = 7001;
const stranger = 9009;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Running {
  app: PyclawApp;
  channel: TelegramChannel;
  home: string;
  workspace: string;
}

async function startChannel(
  telegram: TelegramEmulator,
  responses: string,
  dirs?: { home: string; workspace: string },
): Promise<Running> {
  const home = dirs?.home ?? tempDir();
  const workspace = dirs?.workspace ?? tempDir();
  writeFileSync(
    join(home, 'config.yaml'),
    `providers:
  script:
    kind: scripted
    repeat: true
    responses:
${responses}
agents:
  default:
    models:
      default: { provider: script, model: demo }
    tools: [fs.read, fs.write]
telegram:
  allowedUsers: [${owner}]
  apiRoot: ${telegram.apiRoot}
`,
  );
  const app = await openApp({ env: { PYCLAW_HOME: home } });
  const channel = await TelegramChannel.start(app, {
    token: telegram.token,
    pollSeconds: 1,
    workspaceRoots: [workspace],
  });
  const running = { app, channel, home, workspace };
  cleanups.push(async () => {
    await channel.stop();
    await running.app.close();
  });
  return running;
}

async function emulator(): Promise<TelegramEmulator> {
  const telegram = await startTelegramEmulator();
  cleanups.push(() => telegram.close());
  return telegram;
}

const sentTo = (telegram: TelegramEmulator, chat: number, count: number) =>
  telegram.waitFor(() => telegram.sent(chat).length >= count);

describe('the Telegram channel (grammY against a Bot API emulator)', () => {
  it('turns a message into a turn in the chat’s session and answers it, typing while it works', async () => {
    const telegram = await emulator();
    const { app } = await startChannel(telegram, '      - text: "Hello from PyClaw."');
    telegram.sendText(owner, 'hi there');
    await sentTo(telegram, owner, 1);
    expect(telegram.sent(owner).map((m) => m.text)).toEqual(['Hello from PyClaw.']);
    expect(telegram.calls.some((c) => c.method === 'sendChatAction' && c.payload.action === 'typing')).toBe(
      true,
    );

    const [session] = app.log.listSessions({ limit: 10 });
    const message = app.log.read(session?.id as string).find((event) => event.type === 'user.message');
    expect(message?.payload).toMatchObject({
      text: 'hi there',
      channel: 'telegram',
      externalUserId: String(owner),
      externalChatId: String(owner),
    });

    telegram.sendText(owner, 'again');
    await sentTo(telegram, owner, 2);
    expect(app.log.listSessions({ limit: 10 })).toHaveLength(1);
  });

  it('refuses users who are not allowed, telling them their id, and runs nothing for them', async () => {
    const telegram = await emulator();
    const { app } = await startChannel(telegram, '      - text: "secret answer"');
    telegram.sendText(stranger, 'let me in');
    await sentTo(telegram, stranger, 1);
    expect(telegram.sent(stranger)[0]?.text).toContain(`Telegram user ${stranger}`);
    expect(app.log.listSessions({ limit: 10 })).toHaveLength(0);
  });

  it('asks for approval with inline buttons and goes on when one is pressed', async () => {
    const telegram = await emulator();
    const { app, workspace } = await startChannel(
      telegram,
      `      - toolCalls: [{ name: fs.write, arguments: { path: note.txt, content: "from telegram\\n" } }]
      - text: "Wrote note.txt."`,
    );
    telegram.sendText(owner, 'write a note');
    await sentTo(telegram, owner, 1);
    const prompt = telegram.sent(owner)[0];
    expect(prompt?.text).toContain('Approval needed: fs.write');
    expect(prompt?.buttons).toHaveLength(5);
    expect(existsSync(join(workspace, 'note.txt'))).toBe(false);

    const fifteenMinutes = prompt?.buttons.find((data) => data.endsWith(':15m')) as string;
    telegram.pressButton(owner, prompt?.messageId as number, fifteenMinutes);
    await sentTo(telegram, owner, 2);
    expect(telegram.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(true);
    expect(telegram.sent(owner)[0]?.text).toContain('approved for 15 min');
    expect(telegram.sent(owner)[0]?.buttons).toEqual([]);
    expect(telegram.sent(owner)[1]?.text).toBe('Wrote note.txt.');
    expect(readFileSync(join(workspace, 'note.txt'), 'utf8')).toBe('from telegram\n');
    const [grant] = app.grants.list();
    expect(grant).toMatchObject({ scope: 'until', match: { tool: 'fs.write' } });
    expect((grant?.expiresAt ?? 0) - (grant?.createdAt ?? 0)).toBe(15 * 60_000);
  });

  it('engages panic with /panic and releases it with /panic off, for every process on the home', async () => {
    const telegram = await emulator();
    const { app } = await startChannel(telegram, '      - text: "ok"');
    telegram.sendText(owner, '/panic');
    await sentTo(telegram, owner, 1);
    expect(telegram.sent(owner)[0]?.text).toContain('Panic engaged');
    const other = await openApp({ env: { PYCLAW_HOME: app.paths.root } });
    expect(other.panic.isEngaged()).toBe(true);
    telegram.sendText(owner, '/panic off');
    await sentTo(telegram, owner, 2);
    expect(other.panic.isEngaged()).toBe(false);
    await other.close();
  });

  it('sends a 10,000-character answer as 3 messages in order, waiting out flood control', async () => {
    const telegram = await emulator();
    const words = Array.from({ length: 1000 }, (_, i) => `w${String(i).padStart(4, '0')}`);
    const answer = words.join(' ').padEnd(10_000, '.');
    await startChannel(telegram, `      - text: "${answer}"`);
    telegram.floodWait('sendMessage', 1);
    telegram.sendText(owner, 'say a lot');
    await sentTo(telegram, owner, 3);
    const parts = telegram.sent(owner).map((m) => m.text);
    expect(parts).toHaveLength(3);
    expect(parts.every((part) => part.length <= 4096)).toBe(true);
    expect(parts.join('') === answer).toBe(true);
    expect(telegram.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(4);
  });

  it('does not handle an update twice across a restart, and takes in what arrived while it was down', async () => {
    const telegram = await emulator();
    const first = await startChannel(telegram, '      - text: "ok"');
    const one = telegram.sendText(owner, 'one');
    await sentTo(telegram, owner, 1);
    await first.channel.stop();
    await first.app.close();
    cleanups.length = 0;

    telegram.redeliver(one);
    telegram.sendText(owner, 'two');
    const second = await startChannel(telegram, '      - text: "ok"', first);
    await sentTo(telegram, owner, 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const [session] = second.app.log.listSessions({ limit: 10 });
    const messages = second.app.log
      .read(session?.id as string)
      .filter((event) => event.type === 'user.message')
      .map((event) => (event.payload as { text: string }).text);
    expect(messages).toEqual(['one', 'two']);
    expect(telegram.sent(owner)).toHaveLength(2);
  });
});
