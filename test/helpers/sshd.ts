import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface Sshd {
  host: '127.0.0.1';
  port: number;
  /** The user it lets in: whoever runs the tests. */
  user: string;
  /** Its known_hosts line: `[127.0.0.1]:<port> ssh-ed25519 AAAA…`. */
  knownHostsLine: string;
  /** `SHA256:…` of its host key, as ssh-keygen prints it. */
  hostKeyFingerprint: string;
  /** The private key it authorizes, OpenSSH text. */
  clientKey: string;
  /** The authorized_keys line of that key; the file is `<dir>/authorized_keys`. */
  authorizedKey: string;
  /** A scratch directory the test may use (removed by stop). */
  dir: string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Directories put first on PATH for commands it runs (e.g. fake systemctl). */
  pathPrefix?: string[];
}

/**
 * Starts the system's real /usr/sbin/sshd on a free loopback port with a config of its own: a fresh
 * host key, one authorized key (both from ssh-keygen), public-key login only, for the current user.
 */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'pyclaw-sshd-'));
  const keygen = (file: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pyclaw-test', '-f', join(dir, file)]);
  keygen('host_key');
  keygen('client_key');
  const authorizedKey = readFileSync(join(dir, 'client_key.pub'), 'utf8');
  writeFileSync(join(dir, 'authorized_keys'), authorizedKey);
  // sshd's privilege separation wants this directory; a service manager would normally make it.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = userInfo().username;
  const path = [...(options.pathPrefix ?? []), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, port, user, path));
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (log += text));
    try {
      await waitForBanner(port, child);
    } catch (error) {
      child.kill('SIGKILL');
      lastError = new Error(`sshd did not start: ${(error as Error).message}\n${log}`);
      continue;
    }
    const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ');
    return {
      host: '127.0.0.1',
      port,
      user,
      knownHostsLine: `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}`,
      hostKeyFingerprint: execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'host_key.pub')], {
        encoding: 'utf8',
      }).split(' ')[1] as string,
      clientKey: readFileSync(join(dir, 'client_key'), 'utf8'),
      authorizedKey,
      dir,
      async stop() {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

function sshdConfig(dir: string, port: number, user: string, path: string): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `AllowUsers ${user}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    `SetEnv PATH=${path}`,
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resolves once the port answers with an SSH banner; rejects if sshd exits first. */
async function waitForBanner(port: number, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if (child.exitCode !== null) throw new Error(`sshd exited with code ${child.exitCode}`);
    if (await answersWithBanner(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing answered on port ${port}`);
}

function answersWithBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.once('data', (text: string) => {
      socket.destroy();
      resolve(text.startsWith('SSH-2.0-'));
    });
    socket.once('error', () => resolve(false));
  });
}
