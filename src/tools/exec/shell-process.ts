import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface ShellRun {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Bytes kept of each stream; the rest is counted and dropped. */
  maxOutputBytes: number;
  signal: AbortSignal;
}

export interface CapturedStream {
  /** At most `maxOutputBytes` bytes: the start of what the command wrote. */
  bytes: Buffer;
  /** Everything the command wrote to the stream, kept or not. */
  totalBytes: number;
}

export interface ShellOutcome {
  /** The shell's exit code; null when it was ended by a signal. */
  exitCode: number | null;
  /** What ended it when it did not exit by itself. */
  ended: 'exited' | 'timeout' | 'cancelled';
  stdout: CapturedStream;
  stderr: CapturedStream;
}

/** After SIGTERM, how long the group gets to end before SIGKILL. */
const killGraceMs = 300;

/**
 * Runs `command` under /bin/sh in a process group of its own. On timeout or abort the whole group is
 * ended, and whatever the command left running in the background is ended when the shell exits: a call
 * never leaves processes behind that outlive its result.
 */
export function runShell(run: ShellRun): Promise<ShellOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/bin/sh', ['-c', run.command], {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = capture(child.stdout, run.maxOutputBytes);
    const stderr = capture(child.stderr, run.maxOutputBytes);
    let ended: ShellOutcome['ended'] = 'exited';
    const stop = (why: 'timeout' | 'cancelled') => {
      if (ended !== 'exited' || child.exitCode !== null || child.signalCode !== null) return;
      ended = why;
      signalGroup(child.pid, 'SIGTERM');
      setTimeout(() => signalGroup(child.pid, 'SIGKILL'), killGraceMs).unref();
    };
    const timer = setTimeout(() => stop('timeout'), run.timeoutMs);
    const onAbort = () => stop('cancelled');
    run.signal.addEventListener('abort', onAbort, { once: true });
    if (run.signal.aborted) onAbort();
    child.on('error', (error) => {
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('exit', () => signalGroup(child.pid, 'SIGKILL'));
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      resolvePromise({ exitCode, ended, stdout: stdout.result(), stderr: stderr.result() });
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function capture(stream: Readable, maxBytes: number): { result(): CapturedStream } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let totalBytes = 0;
  stream.on('data', (chunk: Buffer) => {
    totalBytes += chunk.length;
    if (kept >= maxBytes) return;
    const part = chunk.subarray(0, maxBytes - kept);
    chunks.push(part);
    kept += part.length;
  });
  return { result: () => ({ bytes: Buffer.concat(chunks), totalBytes }) };
}
