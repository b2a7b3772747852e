import { basename, resolve } from 'node:path';
import { PyclawError } from '../core/index.js';
import type { SafetyBlock } from './block.js';
import { domainBlock, urlsIn } from './domain-rules.js';
import type { SafetyConfig } from './safety-config.js';
import { type Pipeline, parseCommandLine, type SimpleCommand } from './shell-words.js';
import { resolveInWorkspace } from './workspace-path.js';

export interface CommandScope {
  /** The absolute directory the command runs in. */
  cwd: string;
  workspaceRoots: readonly string[];
  config: SafetyConfig;
}

/** Words that run the command after them (after their own options). */
const wrappers = new Set([
  'sudo',
  'doas',
  'env',
  'command',
  'builtin',
  'exec',
  'nice',
  'nohup',
  'time',
  'timeout',
  'stdbuf',
  'ionice',
  'chronic',
]);
/** Options of a wrapper that take the next word as their value. */
const wrapperOptionsWithValue = new Set(['-u', '-g', '-n', '-c', '-C', '-p', '-s', '-k']);
const shells = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'ash', 'busybox']);
const interpreters = new Set([
  ...shells,
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'node',
  'php',
  'lua',
  'source',
  '.',
  'eval',
]);
const fetchers = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'xh']);
const formatters = /^(mkfs(\..+)?|mke2fs|mkswap|wipefs|mkdosfs|mkntfs)$/;
const harmlessDevices = /^\/dev\/(null|zero|u?random|stdout|stderr|stdin|tty|fd\/\d+)$/;
const systemDirs =
  /^\/(bin|boot|dev|etc|home|lib|lib32|lib64|libx32|opt|proc|root|run|sbin|srv|sys|usr|var)$/;
const forkBombs = [/([^\s(){};|&]+)\(\)\{[^}]*\1\|\1&?[^}]*\}/, /function(\S+)\{[^}]*\1\|\1/];

/**
 * Refuses command lines of a known destructive shape, whatever policy says: deleting the root, a home or
 * a system directory, deleting outside the workspace, formatting or overwriting a disk, fork bombs, and
 * running what was just downloaded. It reads the line as sh would, through quotes, `sudo`, `bash -c` and
 * `$(…)`; a command that builds its words at run time can still hide, so this backs up policy, never
 * replaces it.
 */
export function commandBlock(line: string, scope: CommandScope): SafetyBlock | undefined {
  return lineBlock(line, scope, 0) ?? configuredBlock(line, scope.config);
}

function lineBlock(line: string, scope: CommandScope, depth: number): SafetyBlock | undefined {
  if (depth > 4) return { rule: 'command.nested', reason: 'the command nests shells too deeply to check' };
  const squeezed = line.replace(/\s+/g, '');
  if (forkBombs.some((pattern) => pattern.test(squeezed))) {
    return { rule: 'command.fork-bomb', reason: 'the command is a fork bomb' };
  }
  const { pipelines, substitutions } = parseCommandLine(line);
  for (const pipeline of pipelines) {
    const block = pipeToShell(pipeline) ?? firstBlock(pipeline, (c) => simpleBlock(c, scope, depth));
    if (block) return block;
  }
  for (const inner of substitutions) {
    const block = lineBlock(inner, scope, depth + 1);
    if (block) return block;
  }
  for (const url of urlsIn(line)) {
    const block = domainBlock(url, scope.config.domains);
    if (block) return block;
  }
  return undefined;
}

function firstBlock<T>(
  items: readonly T[],
  check: (item: T) => SafetyBlock | undefined,
): SafetyBlock | undefined {
  for (const item of items) {
    const block = check(item);
    if (block) return block;
  }
  return undefined;
}

/** The program a simple command runs and its arguments, past assignments and wrappers like sudo. */
function invocation(words: readonly string[]): { name: string; args: string[] } | undefined {
  let i = 0;
  while (i < words.length) {
    const word = words[i] as string;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      i++;
      continue;
    }
    const name = basename(word);
    if (!wrappers.has(name)) return { name, args: words.slice(i + 1) };
    i++;
    while (i < words.length && (words[i] as string).startsWith('-')) {
      i += wrapperOptionsWithValue.has(words[i] as string) ? 2 : 1;
    }
    if (name === 'timeout' && i < words.length) i++;
  }
  return undefined;
}

function pipeToShell(pipeline: Pipeline): SafetyBlock | undefined {
  const names = pipeline.map((command) => invocation(command.words)?.name ?? '');
  const fetched = names.findIndex((name) => fetchers.has(name));
  if (fetched === -1) return undefined;
  const runner = names.slice(fetched + 1).find((name) => interpreters.has(name));
  if (runner === undefined) return undefined;
  return {
    rule: 'command.pipe-to-shell',
    reason: `the command pipes what ${names[fetched]} downloads into ${runner}`,
  };
}

function simpleBlock(command: SimpleCommand, scope: CommandScope, depth: number) {
  for (const target of command.writes) {
    if (target.startsWith('/dev/') && !harmlessDevices.test(target)) {
      return { rule: 'command.write-device', reason: `the command writes to the device ${target}` };
    }
  }
  const call = invocation(command.words);
  if (!call) return undefined;
  const { name, args } = call;
  if (formatters.test(name)) return { rule: 'command.format-disk', reason: `${name} formats a disk` };
  if (interpreters.has(name)) {
    const downloaded = args.find((arg) => /(\$\(|`|<\()\s*(\S*\/)?(curl|wget)\b/.test(arg));
    if (downloaded !== undefined) {
      return { rule: 'command.pipe-to-shell', reason: `the command runs what it downloads with ${name}` };
    }
  }
  if (shells.has(name) || name === 'su') {
    const script = args[args.indexOf('-c') + 1];
    if (args.includes('-c') && script !== undefined) return lineBlock(script, scope, depth + 1);
  }
  if (name === 'eval') return lineBlock(args.join(' '), scope, depth + 1);
  switch (name) {
    case 'rm':
      return removalBlock(args, scope);
    case 'find':
      return findBlock(args, scope);
    case 'dd':
      return deviceArgBlock(args.filter((arg) => arg.startsWith('of=')).map((arg) => arg.slice(3)));
    case 'shred':
    case 'blkdiscard':
    case 'cp':
    case 'tee':
      return deviceArgBlock(args);
    case 'chmod':
    case 'chown':
    case 'chgrp':
      return recursiveSystemBlock(name, args);
    default:
      return fetchers.has(name) ? bareHostBlock(args, scope.config) : undefined;
  }
}

function removalBlock(args: string[], scope: CommandScope): SafetyBlock | undefined {
  const { options, operands } = split(args);
  if (options.includes('--no-preserve-root')) {
    return { rule: 'command.rm-root', reason: 'rm --no-preserve-root may delete the whole file system' };
  }
  const recursive = options.some((option) => option === '--recursive' || /^-[^-]*[rR]/.test(option));
  for (const operand of operands) {
    const critical = criticalTarget(operand);
    if (critical && recursive) {
      return { rule: 'command.rm-root', reason: `rm -r on ${operand} would delete ${critical}` };
    }
    const outside = outsideWorkspace(operand, scope);
    if (outside) return { rule: 'command.rm-outside-workspace', reason: `rm on ${operand}: ${outside}` };
  }
  return undefined;
}

function findBlock(args: string[], scope: CommandScope): SafetyBlock | undefined {
  const deletes =
    args.includes('-delete') || args.some((arg, i) => /^-exec(dir)?$/.test(arg) && args[i + 1] === 'rm');
  if (!deletes) return undefined;
  for (const start of args.slice(
    0,
    Math.max(
      0,
      args.findIndex((arg) => arg.startsWith('-')),
    ),
  )) {
    const critical = criticalTarget(start);
    if (critical)
      return { rule: 'command.rm-root', reason: `find ${start} … -delete would delete ${critical}` };
    const outside = outsideWorkspace(start, scope);
    if (outside)
      return { rule: 'command.rm-outside-workspace', reason: `find ${start} deleting: ${outside}` };
  }
  return undefined;
}

function deviceArgBlock(paths: string[]): SafetyBlock | undefined {
  const device = paths.find((path) => path.startsWith('/dev/') && !harmlessDevices.test(path));
  return device === undefined
    ? undefined
    : { rule: 'command.write-device', reason: `the command writes to the device ${device}` };
}

function recursiveSystemBlock(name: string, args: string[]): SafetyBlock | undefined {
  const { options, operands } = split(args);
  if (!options.some((option) => option === '--recursive' || /^-[^-]*R/.test(option))) return undefined;
  const target = operands.find((operand) => criticalTarget(operand));
  return target === undefined
    ? undefined
    : {
        rule: 'command.recursive-system',
        reason: `${name} -R on ${target} changes ${criticalTarget(target)}`,
      };
}

/** A fetcher's bare `host/path` argument (curl adds http:// itself) checked against the deny list. */
function bareHostBlock(args: string[], config: SafetyConfig): SafetyBlock | undefined {
  for (const arg of split(args).operands) {
    if (!/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?(\/|$)/i.test(arg)) continue;
    const block = domainBlock(`http://${arg}`, { allow: [], deny: config.domains.deny });
    if (block) return block;
  }
  return undefined;
}

function configuredBlock(line: string, config: SafetyConfig): SafetyBlock | undefined {
  const pattern = config.commands.deny.find((source) => new RegExp(source).test(line));
  return pattern === undefined
    ? undefined
    : { rule: 'command.deny', reason: `the command matches safety.commands.deny (${pattern})` };
}

function split(args: string[]): { options: string[]; operands: string[] } {
  const end = args.indexOf('--');
  const before = end === -1 ? args : args.slice(0, end);
  return {
    options: before.filter((arg) => arg.startsWith('-') && arg !== '-'),
    operands: [
      ...before.filter((arg) => !arg.startsWith('-') || arg === '-'),
      ...(end === -1 ? [] : args.slice(end + 1)),
    ],
  };
}

/** What deleting `path` would take with it, when that is the root, a home or a system directory. */
function criticalTarget(path: string): string | undefined {
  const trimmed = path.replace(/(\/\.?\*?)+$/, '').replace(/\/+$/, '');
  if (trimmed === '' && path.startsWith('/')) return 'the whole file system';
  if (/^(~[^/]*|\$HOME|\$\{HOME\})$/.test(trimmed)) return 'a home directory';
  if (systemDirs.test(trimmed) || /^\/home\/[^/]+$/.test(trimmed)) return `the system directory ${trimmed}`;
  return undefined;
}

/** Why `path` lies outside the workspace, if it does and can be told without running the shell. */
function outsideWorkspace(path: string, scope: CommandScope): string | undefined {
  if (/[$`~*?[]/.test(path) && !/^[^$`~*?[]*\/\*$/.test(path)) return undefined;
  try {
    resolveInWorkspace(scope.workspaceRoots, resolve(scope.cwd, path.replace(/\/\*$/, '')));
    return undefined;
  } catch (error) {
    if (error instanceof PyclawError) return error.message;
    return undefined;
  }
}
