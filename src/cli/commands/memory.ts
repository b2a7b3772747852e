import pc from 'picocolors';
import { errorMessage, PyclawError } from '../../core/index.js';
import type { CandidateStatus, LongTermMemory, Memory, MemoryKind } from '../../memory/index.js';
import { formatTime, printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

const by = 'user:cli';
const statuses = ['pending', 'promoted', 'rejected', 'all'];

const memoryColumns = [
  { header: 'ID', value: (m: Memory) => m.id },
  { header: 'KIND', value: (m: Memory) => m.kind },
  { header: 'SCOPE', value: (m: Memory) => m.scope },
  { header: 'TEXT', value: (m: Memory) => oneLine(m.text) },
];

export function list(
  options: JsonOption & { scope?: string; kind?: MemoryKind; limit: number },
): Promise<void> {
  return withApp((app) => {
    const memories = app.memory().store.list(options);
    if (options.json) return printJson(memories);
    printTable(
      memories,
      [...memoryColumns, { header: 'ADDED', value: (m) => formatTime(m.createdAt) }],
      'no memories yet',
    );
  });
}

export function show(id: string, options: JsonOption): Promise<void> {
  return withApp((app) => {
    const memory = app.memory().store.get(id);
    if (options.json) return printJson(memory);
    process.stdout.write(
      `${pc.bold(memory.id)}  ${memory.kind}  ${memory.scope}\n${memory.text}\n` +
        `added ${formatTime(memory.createdAt)}, promoted by ${memory.promotedBy}\n`,
    );
    for (const source of memory.provenance) {
      process.stdout.write(`from session ${source.sessionId} event #${source.seq} (${source.eventId})\n`);
    }
  });
}

export function search(
  query: string,
  options: JsonOption & { scope?: string[]; limit: number },
): Promise<void> {
  return withApp(async (app) => {
    const hits = await app.memory().store.search(query, {
      scope: options.scope,
      limit: options.limit,
      onVectorError: (message) =>
        process.stderr.write(`pyclaw: searched by words only, embedding the query failed: ${message}\n`),
    });
    if (options.json) return printJson(hits);
    printTable(
      hits,
      [...memoryColumns, { header: 'MATCHED BY', value: (hit) => hit.matchedBy.join('+') }],
      'no memory matches',
    );
  });
}

export function add(text: string, options: JsonOption & { kind: MemoryKind; scope: string }): Promise<void> {
  return withApp(async (app) => {
    const memory = app.memory();
    const added = memory.store.add({ kind: options.kind, scope: options.scope, text }, by);
    await embedNewMemories(memory);
    if (options.json) return printJson(added);
    process.stdout.write(`remembered ${added.id} (${added.kind}, ${added.scope})\n`);
  });
}

export function candidates(options: JsonOption & { status: string; limit: number }): Promise<void> {
  if (!statuses.includes(options.status)) {
    throw new PyclawError(
      'memory.invalid',
      `--status "${options.status}" is not one of ${statuses.join(', ')}`,
    );
  }
  return withApp((app) => {
    const found = app.memory().candidates.list({
      status: options.status as CandidateStatus | 'all',
      limit: options.limit,
    });
    if (options.json) return printJson(found);
    printTable(
      found,
      [
        { header: 'CANDIDATE', value: (c) => c.id },
        { header: 'KIND', value: (c) => c.kind },
        { header: 'SCOPE', value: (c) => c.scope },
        { header: 'SEEN', value: (c) => `${c.proposals}x` },
        { header: 'STATUS', value: (c) => c.status },
        { header: 'TEXT', value: (c) => oneLine(c.text) },
      ],
      options.status === 'pending' ? 'no candidates waiting' : 'no candidates',
    );
  });
}

export function promote(id: string, options: JsonOption & { scope?: string }): Promise<void> {
  return withApp(async (app) => {
    const memory = app.memory();
    const promoted = memory.candidates.promote(id, { by, scope: options.scope });
    await embedNewMemories(memory);
    if (options.json) return printJson(promoted);
    process.stdout.write(`remembered ${promoted.id} (${promoted.kind}, ${promoted.scope})\n`);
  });
}

export function reject(id: string, options: JsonOption): Promise<void> {
  return withApp((app) => {
    const rejected = app.memory().candidates.reject(id, { by });
    if (options.json) return printJson(rejected);
    process.stdout.write(`rejected ${rejected.id}; it will not be proposed again\n`);
  });
}

export function forget(id: string, options: JsonOption): Promise<void> {
  return withApp(async (app) => {
    const forgotten = await app.memory().store.forget(id, by);
    if (options.json) return printJson(forgotten);
    process.stdout.write(`forgot ${forgotten.id}: ${oneLine(forgotten.text)}\n`);
  });
}

export function reembed(options: JsonOption): Promise<void> {
  return withApp(async (app) => {
    const report = await app.memory().store.reembed();
    if (options.json) return printJson(report);
    const size = report.dimensions === null ? '' : ` (${report.dimensions} dimensions)`;
    const stale = report.stale > 0 ? `, ${report.stale} of them stale (made by ${report.staleModel})` : '';
    process.stdout.write(
      `embedded ${report.embedded} memories with ${report.model}${size}; replaced ${report.replaced} vectors${stale}\n`,
    );
  });
}

/** The memory is kept either way; without its vector it is found by words until a later run embeds it. */
async function embedNewMemories(memory: LongTermMemory): Promise<void> {
  try {
    await memory.store.embedMissing();
  } catch (error) {
    if (!(error instanceof PyclawError)) throw error;
    process.stderr.write(`pyclaw: kept, but could not embed it yet (${errorMessage(error)})\n`);
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
