import { createInterface, type Interface } from 'node:readline';
import pc from 'picocolors';
import { renderTranscript } from '../../brain/index.js';
import { PyclawError } from '../../core/index.js';
import {
  type ApprovalAnswer,
  engagePanic,
  type PyclawApp,
  pendingApprovals,
  type RunSessionOptions,
  type RunSessionResult,
  releasePanic,
  runInSession,
} from '../../runtime/index.js';
import { reportError } from '../report-error.js';
import { ChatHistory } from './history.js';
import { LiveTurnView } from './live-turn-view.js';
import { parseSlashCommand, type SlashCommand, slashCommandHelp } from './slash-command.js';

export interface ChatOptions {
  agent?: string;
  session?: string;
}

/**
 * `pyclaw chat`: reads messages and slash commands line by line and runs each message as a turn.
 * In a terminal the turn is shown live (spinner, tool calls, streamed answer); with piped input each
 * finished turn is printed as its transcript, the same bytes `pyclaw sessions replay` prints.
 */
export class ChatRepl {
  private sessionId: string | undefined;
  private running: AbortController | undefined;
  private readonly terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  private readonly history: ChatHistory;
  /** Sessions with a turn already printed: the next one is set off by a blank line, as in a replay. */
  private readonly printedIn = new Set<string>();
  private announced: string | undefined;

  constructor(
    private readonly app: PyclawApp,
    private readonly options: ChatOptions,
  ) {
    this.sessionId = options.session;
    this.history = new ChatHistory(app.paths.chatHistory, (text) => app.redactor.redactText(text));
    if (this.sessionId && !app.log.getSession(this.sessionId)) throw noSession(this.sessionId);
  }

  async run(): Promise<void> {
    const readline = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: this.terminal,
      history: this.terminal ? this.history.load() : [],
      historySize: 1000,
    });
    readline.setPrompt(pc.bold('pyclaw> '));
    const interrupt = () => (this.running ? this.running.abort() : readline.close());
    readline.on('SIGINT', interrupt);
    process.on('SIGINT', interrupt);
    try {
      if (this.terminal) process.stderr.write(pc.dim('pyclaw chat — /help lists commands\n'));
      this.prompt(readline);
      for await (const raw of readline) {
        const line = raw.trim();
        if (line !== '') {
          this.history.add(line);
          const command = parseSlashCommand(line);
          if (command?.kind === 'exit') break;
          await (command ? this.command(command) : this.turn({ message: line }));
        }
        this.prompt(readline);
      }
    } finally {
      process.off('SIGINT', interrupt);
      readline.close();
    }
  }

  private prompt(readline: Interface): void {
    if (this.terminal) readline.prompt();
  }

  private async command(command: Exclude<SlashCommand, { kind: 'exit' }>): Promise<void> {
    switch (command.kind) {
      case 'help':
        for (const [usage, text] of slashCommandHelp) process.stderr.write(`${usage.padEnd(16)} ${text}\n`);
        return;
      case 'new':
        this.sessionId = undefined;
        return note('your next message starts a new session');
      case 'session':
        if (command.id === undefined)
          return note(this.sessionId ? `session ${this.sessionId}` : 'no session yet');
        if (!this.app.log.getSession(command.id)) return void reportError(noSession(command.id));
        this.sessionId = command.id;
        return note(`switched to session ${command.id}`);
      case 'approve':
      case 'deny':
        return this.answer(command.kind, command.id);
      case 'panic':
        return this.panic(command.action);
      case 'unknown':
        return void reportError(
          new PyclawError('chat.unknown-command', `unknown command ${command.text}; /help lists them`),
        );
    }
  }

  private panic(action: 'on' | 'off' | 'status'): void {
    const { panic } = this.app;
    if (action === 'on') engagePanic(this.app, 'user:chat');
    if (action === 'off') releasePanic(this.app, 'user:chat');
    note(
      panic.isEngaged()
        ? 'panic is ON: tool calls are stopped and blocked everywhere; /panic off releases'
        : 'panic is off',
    );
  }

  private async answer(decision: ApprovalAnswer, id: string | undefined): Promise<void> {
    if (!this.sessionId) return note('no session yet');
    const pending = pendingApprovals(this.app.db, this.app.log, this.sessionId).filter(
      (approval) => id === undefined || approval.approvalId.startsWith(id),
    );
    if (pending.length !== 1) {
      return note(
        pending.length === 0
          ? `nothing to ${decision}${id ? ` with id ${id}` : ''} in this session`
          : `${pending.length} approvals are pending; name one: ${pending.map((p) => p.approvalId).join(', ')}`,
      );
    }
    const { approvalId } = pending[0] as (typeof pending)[number];
    await this.turn({ answer: { approvalId, decision, by: 'user:chat' } });
  }

  private async turn(run: Omit<RunSessionOptions, 'hooks' | 'sessionId' | 'agentId'>): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    const view = this.terminal ? await LiveTurnView.start() : undefined;
    // this process drives one turn at a time, so every event it appends now belongs to this turn
    const unsubscribe = view ? this.app.log.subscribe('*', view.onEvent) : undefined;
    try {
      const result = await runInSession(this.app, {
        ...run,
        sessionId: this.sessionId,
        agentId: this.options.agent,
        hooks: { signal: controller.signal, onDelta: view?.onDelta },
      });
      view?.stop();
      this.sessionId = result.sessionId;
      this.report(result, view?.streamed ?? false);
    } catch (error) {
      view?.stop();
      reportError(error);
    } finally {
      unsubscribe?.();
      this.running = undefined;
    }
  }

  private report(result: RunSessionResult, streamed: boolean): void {
    for (const outcome of [...result.resumed, ...(result.outcome ? [result.outcome] : [])]) {
      if (outcome.status === 'waiting') {
        const { approvalId, summary } = outcome.approval;
        note(`waiting for approval ${approvalId}: ${summary} — /approve or /deny`);
      } else if (!this.terminal) {
        this.printTranscript(result.sessionId, outcome.turnId);
      } else if (outcome.status === 'completed') {
        process.stdout.write(`${streamed ? '' : outcome.answer}\n`);
      } else {
        process.stderr.write(`${pc.red('turn failed:')} ${outcome.error} (${outcome.code})\n`);
      }
    }
    if (this.terminal && this.announced !== result.sessionId) note(`session ${result.sessionId}`);
    this.announced = result.sessionId;
  }

  private printTranscript(sessionId: string, turnId: string): void {
    const separator = this.printedIn.has(sessionId) ? '\n' : '';
    process.stdout.write(`${separator}${renderTranscript(this.app.log.byTurn(sessionId, turnId))}`);
    this.printedIn.add(sessionId);
  }
}

function note(text: string): void {
  process.stderr.write(`${pc.dim(text)}\n`);
}

function noSession(id: string): PyclawError {
  return new PyclawError('runtime.no-session', `no session ${id}`, { hint: 'see `pyclaw sessions list`' });
}
