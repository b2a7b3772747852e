import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { completion } from '../emulators/openai.js';
import { builtCli, runCli, runCliAsync, startCli } from '../helpers/cli.js';
import { useOpenAiHomes } from '../helpers/openai-home.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const openai = useOpenAiHomes(tempDir);

const canary = 'canary-chat-41f0c9d2e7aa';

/** A home whose default agent asks the emulator and may write files only after an approval. */
function chatHome(): { home: string; workspace: string } {
  const made = openai.agentHome({ tools: '[fs.read, fs.write]', init: true });
  writeFileSync(join(made.workspace, 'todo.txt'), 'water the plants\n');
  return made;
}

/** `pyclaw chat` with `input` piped in, and a secret-looking variable in its environment. */
function chat(home: string, workspace: string, input: string) {
  const running = startCli(home, ['chat'], { CHAT_TEST_API_KEY: canary }, workspace);
  running.child.stdin.end(input);
  return running.result;
}

function sessionIds(home: string): string[] {
  const listed = runCli(home, ['sessions', 'list', '--json']);
  return (JSON.parse(listed.stdout) as { id: string }[]).map((session) => session.id);
}

describe('pyclaw chat', () => {
  it('runs each line as a turn in one session, prints what `sessions replay` prints, and keeps a redacted 0600 history', async () => {
    const { home, workspace } = chatHome();
    openai.emulator.reply(
      completion({ toolCalls: [{ id: 'call_1', name: 'fs_read', arguments: '{"path":"todo.txt"}' }] }),
      completion({ text: 'You have to water the plants.' }),
      completion({ text: 'Done already? Great.' }),
    );

    const result = await chat(home, workspace, `what is on my list?\nI did it, my key is ${canary}\n/exit\n`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [sessionId, ...others] = sessionIds(home);
    expect(others).toEqual([]);
    expect(result.stdout).toContain('→ fs.read {"path":"todo.txt"}\n← ok: water the plants\n');
    expect(result.stdout).toContain('assistant: Done already? Great.\n');

    const replay = await runCliAsync(home, ['sessions', 'replay', sessionId as string]);
    expect(replay.stdout).toBe(result.stdout);

    const historyFile = join(home, 'chat_history');
    expect(statSync(historyFile).mode & 0o777).toBe(0o600);
    const history = readFileSync(historyFile, 'utf8');
    expect(history).toContain('what is on my list?\n');
    expect(history).toContain('/exit\n');
    expect(history).not.toContain(canary);
  });

  it('waits for /approve before a write, and /deny refuses the next one', async () => {
    const { home, workspace } = chatHome();
    openai.emulator.reply(
      completion({
        toolCalls: [{ id: 'w1', name: 'fs_write', arguments: '{"path":"done.txt","content":"plants\\n"}' }],
      }),
      completion({ text: 'Written.' }),
      completion({
        toolCalls: [{ id: 'w2', name: 'fs_write', arguments: '{"path":"todo.txt","content":""}' }],
      }),
      completion({ text: 'I left your list alone.' }),
    );

    const result = await chat(home, workspace, 'note it\n/approve\nclear my list\n/deny\n');
    expect(result.code).toBe(0);
    expect(result.stderr.match(/waiting for approval \S+: fs\.write .* — \/approve or \/deny/g)).toHaveLength(
      2,
    );
    expect(readFileSync(join(workspace, 'done.txt'), 'utf8')).toBe('plants\n');
    expect(readFileSync(join(workspace, 'todo.txt'), 'utf8')).toBe('water the plants\n');
    expect(result.stdout).toContain('assistant: Written.\n');
    expect(result.stdout).toContain('assistant: I left your list alone.\n');
  });

  it('/new starts another session, /session switches back, and bad commands get one line each', async () => {
    const { home, workspace } = chatHome();
    openai.emulator.reply(
      completion({ text: 'one' }),
      completion({ text: 'two' }),
      completion({ text: 'three' }),
    );

    const first = await chat(home, workspace, 'first\n/new\nsecond\n');
    expect(first.code).toBe(0);
    const sessions = sessionIds(home);
    expect(sessions).toHaveLength(2);
    const [second, earliest] = sessions as [string, string];

    const again = await chat(
      home,
      workspace,
      `/session ${earliest}\nthird\n/session nope\n/frobnicate\n/approve\n`,
    );
    expect(again.code).toBe(0);
    expect(sessionIds(home)).toHaveLength(2);
    const replay = await runCliAsync(home, ['sessions', 'replay', earliest]);
    expect(replay.stdout).toBe('user: first\nassistant: one\n\nuser: third\nassistant: three\n');
    expect((await runCliAsync(home, ['sessions', 'replay', second])).stdout).toBe(
      'user: second\nassistant: two\n',
    );
    expect(again.stderr.split('\n')).toEqual(
      expect.arrayContaining([
        `switched to session ${earliest}`,
        'pyclaw: no session nope (see `pyclaw sessions list`)',
        'pyclaw: unknown command /frobnicate; /help lists them',
        'nothing to approve in this session',
      ]),
    );
  });

  it('Ctrl+C stops the running turn and the chat goes on', async () => {
    const { home, workspace } = chatHome();
    openai.emulator.reply({ type: 'hang' }, completion({ text: 'still here' }));
    const running = startCli(home, ['chat'], {}, workspace);
    running.child.stdin.write('take forever\n');
    while (openai.emulator.requests.length < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    running.child.kill('SIGINT');
    running.child.stdin.end('are you there?\n');

    const result = await running.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^user: take forever\nfailed \[llm\.aborted\]: emu: the call was aborted\n/,
    );
    expect(result.stdout).toContain('user: are you there?\nassistant: still here\n');
    const db = openDatabase(join(home, 'pyclaw.db'));
    try {
      const [sessionId] = sessionIds(home);
      const types = new EventLog(db).read(sessionId as string).map((event) => event.type);
      expect(types.filter((type) => type === 'turn.failed')).toHaveLength(1);
      expect(types.filter((type) => type === 'turn.completed')).toHaveLength(1);
    } finally {
      db.close();
    }
  });

  it('in a terminal, shows a spinner and each tool call live, and streams the answer', async () => {
    const { home, workspace } = chatHome();
    writeFileSync(
      join(home, 'config.yaml'),
      `providers:
  script:
    kind: scripted
    responses:
      - toolCalls: [{ name: fs.read, arguments: { path: todo.txt } }]
      - text: "Water the plants today."
agents:
  default:
    models:
      default: { provider: script, model: demo }
    tools: [fs.read]
`,
    );
    // util-linux `script` gives the chat a pseudo-terminal of 80 columns
    const child = spawn(
      'script',
      ['-qfc', `stty cols 80 rows 24; "${process.execPath}" "${builtCli}" chat`, '/dev/null'],
      { cwd: workspace, env: { ...process.env, PYCLAW_HOME: home, TERM: 'xterm' } },
    );
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (screen += text));
    const waitFor = async (text: string) => {
      while (!screen.includes(text)) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await waitFor('pyclaw> ');
    child.stdin.write('what is on my list?\r');
    await waitFor('Water the plants today.');
    child.stdin.write('/exit\r');
    await new Promise((resolve) => child.on('close', resolve));

    expect(screen).toContain('thinking');
    expect(screen).toContain('→ fs.read {"path":"todo.txt"}');
    expect(screen).toContain('← ok: water the plants');
    expect(screen.indexOf('← ok: water the plants')).toBeLessThan(screen.indexOf('Water the plants today.'));
  });
});
