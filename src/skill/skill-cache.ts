import { mkdirSync, readFileSync, renameSync, type Stats, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Skill } from './skill-file.js';

interface Entry {
  size: number;
  mtimeMs: number;
  skill: Skill;
}

const formatVersion = 1;

/**
 * Parsed SKILL.md files by path, reused while a file keeps its size and modification time, so a turn
 * does not re-parse every skill's YAML. Only a cache: an unreadable or foreign file is ignored and rebuilt.
 * The file is read once per process; later loads use the entries kept in memory.
 */
export class SkillCache {
  private changed = false;
  private readonly seen = new Set<string>();

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  static open(file: string): SkillCache {
    let entries = openedEntries.get(file);
    if (!entries) {
      entries = readEntries(file);
      openedEntries.set(file, entries);
    }
    return new SkillCache(file, entries);
  }

  get(path: string, stat: Stats): Skill | undefined {
    this.seen.add(path);
    const entry = this.entries.get(path);
    return entry && entry.size === stat.size && entry.mtimeMs === stat.mtimeMs ? entry.skill : undefined;
  }

  set(path: string, stat: Stats, skill: Skill): void {
    this.entries.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, skill });
    this.changed = true;
  }

  /** Writes the cache if it changed, forgetting skills gone from the folders `scanned`; best effort. */
  save(scanned: readonly string[]): void {
    for (const path of this.entries.keys()) {
      if (!this.seen.has(path) && scanned.some((dir) => path.startsWith(`${dir}/`))) {
        this.entries.delete(path);
        this.changed = true;
      }
    }
    if (!this.changed) return;
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(
        temporary,
        JSON.stringify({ version: formatVersion, entries: Object.fromEntries(this.entries) }),
      );
      renameSync(temporary, this.file);
    } catch {
      // a read-only home only costs the next load its parsing
    }
  }
}

/** Each cache file's entries, as this process last left them. */
const openedEntries = new Map<string, Map<string, Entry>>();

function readEntries(file: string): Map<string, Entry> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; entries?: unknown };
    if (data.version === formatVersion && data.entries && typeof data.entries === 'object') {
      return new Map(Object.entries(data.entries as Record<string, Entry>));
    }
  } catch {
    // missing or unreadable: start empty
  }
  return new Map();
}
