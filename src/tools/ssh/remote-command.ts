import type { Client, ClientChannel } from 'ssh2';
import { PyclawError } from '../../core/index.js';
import {
  type HostKeyWhere,
  hostKeyAlgorithms,
  hostKeyProblem,
  type KnownHostEntry,
  knownHostEntries,
} from './known-hosts.js';

/** Where to run, as whom, and what. `file` is the known-hosts file its host key must be in. */
export interface RemoteCommand extends HostKeyWhere {
  user: string;
  privateKey: string;
  /** How the key is referred to in config, for messages. */
  keyReference: string;
  command: string;
  /** How long the command may run, from when the remote shell has started. */
  timeoutMs: number;
  maxOutputBytes: number;
}

export interface RemoteResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode?: number;
  exitSignal?: string;
  /** Set when PyClaw ended the command itself. */
  stoppedBy?: 'timeout' | 'output-limit';
}

type StopReason = NonNullable<RemoteResult['stoppedBy']> | 'abort';

/** ssh2's own default for reaching the server and finishing the handshake. */
const connectTimeoutMs = 20_000;
/** How long the remote shell may take to start (its rc files run first). */
const shellStartTimeoutMs = 20_000;
/** How long closing may take past the kill before the connection is simply dropped. */
const stopGraceMs = 2000;

/**
 * Runs one command over a fresh SSH connection, after checking the host key against the known-hosts
 * file. Abort rejects; timeout and output limit resolve with what came so far. All three kill the remote
 * command's process group before closing: closing a channel alone leaves a command without a terminal
 * running, and sshd ignores `signal` requests in root sessions.
 */
export async function runRemoteCommand(run: RemoteCommand, signal: AbortSignal): Promise<RemoteResult> {
  const entries = knownHostEntries(run);
  const { Client } = await import('ssh2');
  signal.throwIfAborted();
  return new RemoteRun(new Client(), run, entries).result(signal);
}

/** One connection and its one command; `result` may be called once. */
class RemoteRun {
  private readonly stdout: Buffer[] = [];
  private readonly stderr: Buffer[] = [];
  private outputBytes = 0;
  private channel: ClientChannel | undefined;
  private exit: Pick<RemoteResult, 'exitCode' | 'exitSignal'> | undefined;
  private stopReason: StopReason | undefined;
  private failure: PyclawError | undefined;
  private refusal: PyclawError | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** stdout until its first line, which is the remote shell's pid (see `withProcessGroupLine`). */
  private firstLine: Buffer | undefined = Buffer.alloc(0);
  private readonly processGroup: Promise<number | undefined>;
  private settleProcessGroup: (group: number | undefined) => void = () => {};

  constructor(
    private readonly client: Client,
    private readonly run: RemoteCommand,
    private readonly entries: readonly KnownHostEntry[],
  ) {
    this.processGroup = new Promise((resolve) => {
      this.settleProcessGroup = resolve;
    });
  }

  result(signal: AbortSignal): Promise<RemoteResult> {
    return new Promise((resolve, reject) => {
      const onAbort = () => this.stop('abort');
      signal.addEventListener('abort', onAbort, { once: true });
      this.client.on('ready', () => this.startCommand());
      this.client.on('error', (error: Error & { level?: string }) => {
        this.failure ??= this.refusal ?? connectionError(this.run, error);
      });
      this.client.on('close', () => {
        clearTimeout(this.timer);
        signal.removeEventListener('abort', onAbort);
        this.settleProcessGroup(undefined);
        if (this.stopReason === 'abort') {
          reject(new PyclawError('ssh.cancelled', `the command on ${this.run.name} was cancelled and ended`));
        } else if (!this.channel) {
          reject(this.failure ?? new PyclawError('ssh.connect', `the connection to ${this.run.name} closed`));
        } else {
          const output = { stdout: Buffer.concat(this.stdout), stderr: Buffer.concat(this.stderr) };
          resolve({ ...output, ...this.exit, stoppedBy: this.stopReason });
        }
      });
      try {
        this.connect();
      } catch (error) {
        signal.removeEventListener('abort', onAbort);
        // ssh2 rejects an unreadable key here; its message never quotes the key.
        const message = `${this.run.keyReference} (the key of ssh host ${this.run.name}) cannot be used: ${(error as Error).message}`;
        reject(new PyclawError('ssh.bad-key', message));
      }
    });
  }

  private connect(): void {
    const { run } = this;
    this.client.connect({
      host: run.host,
      port: run.port,
      username: run.user,
      privateKey: run.privateKey,
      readyTimeout: connectTimeoutMs,
      algorithms: { serverHostKey: hostKeyAlgorithms(this.entries) as never },
      hostVerifier: (key: Buffer) => {
        this.refusal = hostKeyProblem(this.entries, key, run);
        return this.refusal === undefined;
      },
    });
  }

  private startCommand(): void {
    if (this.stopReason) {
      this.client.end();
      return;
    }
    this.client.exec(withProcessGroupLine(this.run.command), (error, channel) => {
      if (error) {
        this.failure = new PyclawError(
          'ssh.exec',
          `${this.run.name} refused to run the command: ${error.message}`,
        );
        return void this.client.end();
      }
      this.channel = channel;
      this.startTimer(Math.max(this.run.timeoutMs, shellStartTimeoutMs));
      channel.on('data', (data: Buffer) => this.onStdout(data));
      channel.stderr.on('data', (data: Buffer) => this.collect(this.stderr, data));
      channel.on('exit', (code: number | null, signalName?: string) => {
        this.exit = code === null ? { exitSignal: signalName } : { exitCode: code };
      });
      channel.on('close', () => this.client.end());
      if (this.stopReason) this.endCommand();
    });
  }

  /**
   * The timeout counts from when the shell reports its pid, so it measures the command, not the user's
   * shell startup files (which can take seconds); the startup has its own bound.
   */
  private startTimer(ms: number): void {
    clearTimeout(this.timer);
    if (!this.stopReason) this.timer = setTimeout(() => this.stop('timeout'), ms);
  }

  private onStdout(data: Buffer): void {
    if (!this.firstLine) {
      this.collect(this.stdout, data);
      return;
    }
    const head = Buffer.concat([this.firstLine, data]);
    const newline = head.indexOf(10);
    if (newline < 0 && head.length < 32) {
      this.firstLine = head;
      return;
    }
    this.firstLine = undefined;
    const pid = head.subarray(0, Math.max(newline, 0)).toString('latin1');
    if (/^[1-9][0-9]*$/.test(pid)) {
      this.settleProcessGroup(Number(pid));
      this.startTimer(this.run.timeoutMs);
      this.collect(this.stdout, head.subarray(newline + 1));
    } else {
      // Not a POSIX shell: its output is all output, and only closing the channel can end it.
      this.settleProcessGroup(undefined);
      this.collect(this.stdout, head);
    }
  }

  private collect(into: Buffer[], data: Buffer): void {
    if (this.stopReason || data.length === 0) return;
    const room = this.run.maxOutputBytes - this.outputBytes;
    into.push(data.length > room ? data.subarray(0, room) : data);
    this.outputBytes += Math.min(data.length, room);
    if (data.length > room) this.stop('output-limit');
  }

  private stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    // Killing runs a second command, whose shell starts as slowly as the first one's did.
    setTimeout(() => this.client.destroy(), shellStartTimeoutMs + stopGraceMs).unref();
    if (this.channel) this.endCommand();
    else this.client.end();
  }

  private endCommand(): void {
    void this.killProcessGroup().finally(() => {
      this.channel?.close();
      this.client.end();
    });
  }

  /** Kills the command's process group from a second channel, unless the command already exited. */
  private async killProcessGroup(): Promise<void> {
    const group = await this.processGroup;
    if (group === undefined || this.exit) return;
    await new Promise<void>((resolve) => {
      this.client.exec(`kill -9 -${group}`, (error, killer) => {
        if (error) {
          resolve();
          return;
        }
        killer.stderr.resume();
        killer.on('close', () => resolve()).resume();
      });
    });
  }
}

/**
 * sshd starts the user's shell as a session and process-group leader, so its pid, printed first, is the
 * group to kill to end the command and everything it started.
 */
function withProcessGroupLine(command: string): string {
  return `printf '%s\\n' "$$"\n${command}`;
}

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

function connectionError(run: RemoteCommand, error: Error & { level?: string }): PyclawError {
  if (error.level === 'client-authentication') {
    return new PyclawError(
      'ssh.auth',
      `${run.name} (${run.host}:${run.port}) refused user ${run.user} with key ${run.keyReference}`,
      { hint: `add the key's public half to ~${run.user}/.ssh/authorized_keys on ${run.host}` },
    );
  }
  return new PyclawError(
    'ssh.connect',
    `cannot connect to ${run.name} (${run.host}:${run.port}): ${error.message}`,
  );
}
