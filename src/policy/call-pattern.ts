import { sep } from 'node:path';
import { toolIdMatches } from '../core/index.js';
import { expandHome, realPathOf } from './real-path.js';

/**
 * What a rule or a grant matches: a tool id or glob, and optionally argument patterns, all of which
 * must fit. `command` is a command prefix (whole words), `path` a glob over real absolute paths,
 * `domain` a host (`example.com` covers its subdomains too; `*.example.com` only them).
 */
export interface CallPattern {
  tool: string;
  command?: string | undefined;
  path?: string | undefined;
  domain?: string | undefined;
}

/** A tool call as policy sees it; relative paths in its input resolve against `cwd`. */
export interface PolicyCall {
  tool: string;
  input: unknown;
  cwd: string;
}

/**
 * How argument patterns apply when a call carries several commands or paths. `every` (allow rules and
 * grants) needs each of them to fit and refuses shell substitution and redirection outright, so an
 * allowed prefix cannot carry a second command along; `any` (ask and deny rules) catches a call when
 * one of them fits, wherever it hides.
 */
export type PatternMode = 'every' | 'any';

export function callMatches(pattern: CallPattern, call: PolicyCall, mode: PatternMode): boolean {
  if (!toolIdMatches(pattern.tool, call.tool)) return false;
  const input = isRecord(call.input) ? call.input : {};
  if (pattern.command !== undefined && !commandMatches(pattern.command, input.command, mode)) return false;
  if (pattern.path !== undefined && !pathMatches(pattern.path, pathsIn(input), call.cwd, mode)) return false;
  if (pattern.domain !== undefined && !domainMatches(pattern.domain, input.url)) return false;
  return true;
}

/** Argument names that carry a filesystem path. */
const pathKeys = ['path', 'cwd', 'file', 'from', 'to'] as const;

function pathsIn(input: Record<string, unknown>): string[] {
  const paths = pathKeys.map((key) => input[key]);
  if (Array.isArray(input.paths)) paths.push(...input.paths);
  return paths.filter((path): path is string => typeof path === 'string' && path !== '');
}

const unsafeForAllow = /`|\$\(|<\(|>\(|>|<|\n/;
const commandSeparators = /;|&&|\|\||\||&|\n|\$\(|`|<\(|>\(|\(|\)/;
const wrappers = new Set(['sudo', 'env', 'command', 'exec', 'nohup', 'time', 'nice']);

function commandMatches(prefix: string, command: unknown, mode: PatternMode): boolean {
  if (typeof command !== 'string') return false;
  const wanted = words(prefix);
  if (mode === 'every') {
    if (unsafeForAllow.test(command)) return false;
    const simple = command.split(commandSeparators).map(words);
    return simple.every((commandWords) => startsWith(commandWords, wanted));
  }
  return command
    .split(commandSeparators)
    .map((part) => unwrapped(words(part)))
    .some((commandWords) => commandWords.length > 0 && startsWith(commandWords, wanted));
}

function words(command: string): string[] {
  return command.trim().split(/\s+/).filter(Boolean);
}

/** `FOO=1 sudo rm -rf x` → `rm -rf x`: what actually runs, for rules that must catch it. */
function unwrapped(commandWords: string[]): string[] {
  let start = 0;
  while (start < commandWords.length) {
    const word = commandWords[start] as string;
    if (!wrappers.has(word) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) break;
    start += 1;
  }
  return commandWords.slice(start);
}

function startsWith(commandWords: string[], prefix: string[]): boolean {
  return prefix.length <= commandWords.length && prefix.every((word, index) => commandWords[index] === word);
}

function pathMatches(glob: string, paths: string[], cwd: string, mode: PatternMode): boolean {
  if (paths.length === 0) return false;
  const pattern = globRegExp(realGlob(glob));
  const fits = (path: string) => pattern.test(realPathOf(path, cwd));
  return mode === 'every' ? paths.every(fits) : paths.some(fits);
}

/** The glob with its literal leading directories resolved through realpath, as call paths are. */
function realGlob(glob: string): string {
  const segments = expandHome(glob).split(sep);
  const firstWild = segments.findIndex((segment) => /[*?]/.test(segment));
  if (firstWild === -1) return realPathOf(segments.join(sep), sep);
  const literal = segments.slice(0, firstWild).join(sep) || sep;
  const real = realPathOf(literal, sep);
  return [real === sep ? '' : real, ...segments.slice(firstWild)].join(sep);
}

/** `**` spans directories (`/a/**` also matches `/a`), `*` and `?` stay within one name. */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const rest = glob.slice(index);
    if (rest.startsWith('/**/')) {
      source += '(?:/.*)?/';
      index += 3;
    } else if (rest === '/**') {
      source += '(?:/.*)?';
      break;
    } else if (rest.startsWith('**')) {
      source += '.*';
      index += 1;
    } else if (rest[0] === '*') {
      source += '[^/]*';
    } else if (rest[0] === '?') {
      source += '[^/]';
    } else {
      source += (rest[0] as string).replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function domainMatches(pattern: string, url: unknown): boolean {
  const host = hostOf(url);
  if (host === undefined) return false;
  const wanted = pattern.toLowerCase();
  if (wanted === '*') return true;
  if (wanted.startsWith('*.')) return host.endsWith(wanted.slice(1));
  return host === wanted || host.endsWith(`.${wanted}`);
}

/** The lower-case host of a URL argument, without a trailing dot; undefined when it is not a URL. */
export function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
