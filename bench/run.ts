import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ArtifactStore } from '../src/artifact/index.js';
import { canonicalJson, type NewEvent, newId } from '../src/core/index.js';
import { createRedactor } from '../src/secret/index.js';
import { EventLog } from '../src/session/index.js';
import { type Db, openDatabase } from '../src/storage/index.js';
import { a2aQueue } from './a2a-queue.js';
import { browserTools } from './browser.js';
import { httpLoad } from './http-load.js';
import { mcpTools } from './mcp.js';
import { median, medianMs, printResults, type Result, timeMs, timeMsAsync } from './measure.js';
import { memorySearch } from './memory-search.js';
import { packBuild } from './pack-build.js';
import { panicLatency } from './panic-latency.js';
import { skillRanking } from './skill-ranking.js';
import { sshTools } from './ssh.js';
import { toolSafety } from './tool-safety.js';
import { turnOverhead } from './turn-overhead.js';

const SINGLE_COMMITS = 20_000;
const BATCHED_EVENTS = 200_000;
const BATCH_SIZE = 1_000;
const APPEND_ROUNDS = 3;
const SLICE_SESSION_EVENTS = 1_000_000;
const ARTIFACT_MB = 64;

const dir = mkdtempSync(join(tmpdir(), 'pyclaw-bench-'));
const results: Result[] = [];
let dbCount = 0;

function sampleEvent(i: number): NewEvent {
  return {
    type: 'tool.result',
    actor: 'agent:default',
    turnId: 'turn-bench',
    payload: {
      callId: `call-${i}`,
      isError: false,
      preview: `line ${i}: total 42 files, 3 directories, all checks passed`,
    },
  };
}

function freshDb(name: string): Db {
  return openDatabase(join(dir, `${name}-${++dbCount}.db`));
}

interface Rates {
  single: number;
  batched: number;
}

/** Something that stores the i-th sample event, alone in its own commit or a batch in one commit. */
interface Appender {
  one(i: number): void;
  batch(from: number, count: number): void;
  close(): void;
}

/** `SINGLE_COMMITS` one-commit appends, then `BATCHED_EVENTS` more in batches, into the same session. */
function appendRates(appender: Appender): Rates {
  const singleMs = timeMs(() => {
    for (let i = 0; i < SINGLE_COMMITS; i++) appender.one(i);
  });
  const batchedMs = timeMs(() => {
    for (let from = SINGLE_COMMITS; from < SINGLE_COMMITS + BATCHED_EVENTS; from += BATCH_SIZE) {
      appender.batch(from, BATCH_SIZE);
    }
  });
  appender.close();
  return { single: SINGLE_COMMITS / (singleMs / 1000), batched: BATCHED_EVENTS / (batchedMs / 1000) };
}

/** One events row's values, in column order. */
type EventRowValues = unknown[];

/** The rows EventLog writes for the sample events (26-character ids, 64-hex hashes), built before timing. */
function sampleRows(count: number): EventRowValues[] {
  const sessionId = newId();
  const hex = (n: number) => n.toString(16).padStart(64, '0');
  return Array.from({ length: count }, (_, i) => {
    const event = sampleEvent(i);
    const turnId = event.turnId as string;
    return [
      sessionId,
      i + 1,
      newId(),
      turnId,
      null,
      turnId,
      event.type,
      Date.now(),
      event.actor,
      canonicalJson(event.payload),
      hex(i),
      hex(i + 1),
    ];
  });
}

/**
 * The floor: the same rows with the same pragmas, inserted into a table with the events table's columns
 * and primary key by one prepared statement: no validation, redaction, hashing or head lookup.
 */
function insertFloor(rows: EventRowValues[]): Appender {
  const db = freshDb('floor');
  db.exec(`CREATE TABLE bare (session_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, turn_id TEXT,
    step_id TEXT, trace_id TEXT NOT NULL, type TEXT NOT NULL, ts INTEGER NOT NULL, actor TEXT NOT NULL,
    payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (session_id, seq))
    WITHOUT ROWID`);
  const insert = db.prepare(
    `INSERT INTO bare (session_id, seq, id, turn_id, step_id, trace_id, type, ts, actor, payload, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const batch = db.transaction((from: number, count: number) => {
    for (let i = from; i < from + count; i++) insert.run(rows[i]);
  });
  return { one: (i) => insert.run(rows[i]), batch, close: () => db.close() };
}

function eventLogAppender(events: NewEvent[]): Appender {
  const db = freshDb('append');
  const log = new EventLog(db, { redactor: createRedactor() });
  const session = log.createSession({ title: 'bench' }).id;
  return {
    one: (i) => log.append(session, events[i] as NewEvent),
    batch: (from, count) => log.appendBatch(session, events.slice(from, from + count)),
    close: () => {
      if (!log.verify(session).ok) throw new Error('the appended chain does not verify');
      db.close();
    },
  };
}

/** Rounds alternate floor and event log on fresh files, so a noisy neighbour skews all of them alike. */
function appendThroughput(): { floor: Rates; log: Rates } {
  const total = SINGLE_COMMITS + BATCHED_EVENTS;
  const rows = sampleRows(total);
  const events = Array.from({ length: total }, (_, i) => sampleEvent(i));
  const runs: { floor: Rates[]; log: Rates[] } = { floor: [], log: [] };
  for (let round = 0; round < APPEND_ROUNDS; round++) {
    runs.floor.push(appendRates(insertFloor(rows)));
    runs.log.push(appendRates(eventLogAppender(events)));
  }
  const medianRates = (rates: Rates[]): Rates => ({
    single: median(rates.map((r) => r.single)),
    batched: median(rates.map((r) => r.batched)),
  });
  return { floor: medianRates(runs.floor), log: medianRates(runs.log) };
}

function sliceAtOneMillion(): { lastFifty: number; fillSeconds: number } {
  const db = freshDb('slice');
  const log = new EventLog(db);
  const session = log.createSession({ title: 'a million events' }).id;
  const batch = Array.from({ length: 10_000 }, (_, i) => sampleEvent(i));
  const fillMs = timeMs(() => {
    for (let n = 0; n < SLICE_SESSION_EVENTS; n += batch.length) log.appendBatch(session, batch);
  });
  const lastFifty = medianMs(201, () => {
    if (log.last(session, 50).length !== 50) throw new Error('slice returned the wrong number of events');
  });
  db.close();
  return { lastFifty, fillSeconds: fillMs / 1000 };
}

/** Microseconds to redact a small event payload holding no secret, with 20 secrets registered. */
function redactionCost(): number {
  const redactor = createRedactor();
  for (let i = 0; i < 20; i++) redactor.register(`registered-secret-${i}-value`, `s${i}`);
  const payload = { text: 'ran the task-list step', n: 3, tags: ['a', 'b'], nested: { path: '/tmp/x' } };
  const rounds = 20_000;
  return (
    (medianMs(5, () => {
      for (let i = 0; i < rounds; i++) redactor.redactValue(payload);
    }) *
      1000) /
    rounds
  );
}

/** Milliseconds to redact a megabyte of ordinary text holding 2,500 copies of one of 20 registered values. */
function redactionOfAMegabyte(): number {
  const redactor = createRedactor();
  for (let i = 0; i < 20; i++) redactor.register(`registered-secret-${i}-${'q'.repeat(i)}`, `s${i}`);
  const text = 'the bearer of news; task-list sk-learn; key=value registered-secret-7-qqqqqqq\n'.repeat(
    13_000,
  );
  return medianMs(5, () => redactor.redactText(text));
}

async function artifactThroughput(): Promise<{ put: number; get: number }> {
  const db = freshDb('artifacts');
  const store = new ArtifactStore(db, join(dir, 'artifacts'), { redactor: createRedactor() });
  const bytes = randomBytes(ARTIFACT_MB * 1024 * 1024);
  let ref = '';
  const putMs = await timeMsAsync(async () => {
    ref = (await store.put(Readable.from(chunks(bytes)), { mime: 'application/octet-stream' })).ref;
  });
  const getMs = await timeMsAsync(async () => {
    let size = 0;
    for await (const chunk of store.get(ref)) size += (chunk as Buffer).length;
    if (size !== bytes.length) throw new Error('artifact read back with the wrong size');
  });
  db.close();
  return { put: ARTIFACT_MB / (putMs / 1000), get: ARTIFACT_MB / (getMs / 1000) };
}

function* chunks(bytes: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

try {
  // First: the bulk writes below leave hundreds of MB for the kernel to write back, which would land in
  // a latency measured after them.
  const turns = await turnOverhead(dir);
  const { floor, log } = appendThroughput();
  const slice = sliceAtOneMillion();
  const artifacts = await artifactThroughput();
  const redaction = redactionCost();
  const redactionMegabyte = redactionOfAMegabyte();
  const packs = await packBuild(dir);
  const skills = skillRanking(dir);
  const memory = await memorySearch(dir);
  const load = await httpLoad(dir, { sessions: 50, turnsPerSession: 4 });
  const browser = await browserTools(dir);
  const ssh = await sshTools(dir);
  const panic = await panicLatency(dir);
  const mcp = await mcpTools(dir);
  const tools = await toolSafety(dir);
  results.push(
    { name: 'bare insert, one commit each (floor)', value: Math.round(floor.single), unit: 'rows/s' },
    { name: 'bare insert, batches of 1000 (floor)', value: Math.round(floor.batched), unit: 'rows/s' },
    {
      name: 'event append, one commit each',
      value: Math.round(log.single),
      unit: 'events/s',
      target: { op: '>=', value: 20_000 },
    },
    {
      name: 'event append, batches of 1000',
      value: Math.round(log.batched),
      unit: 'events/s',
      target: { op: '>=', value: 200_000 },
    },
    {
      name: 'floor / append ratio, one commit each',
      value: floor.single / log.single,
      unit: 'x',
      target: { op: '<=', value: 3 },
    },
    {
      name: 'floor / append ratio, batched',
      value: floor.batched / log.batched,
      unit: 'x',
      target: { op: '<=', value: 3 },
    },
    {
      name: 'last 50 of a 1,000,000-event session',
      value: slice.lastFifty,
      unit: 'ms',
      target: { op: '<=', value: 2 },
    },
    { name: 'fill 1,000,000 events (batches of 10,000)', value: slice.fillSeconds, unit: 's' },
    { name: `artifact put, ${ARTIFACT_MB} MiB stream, redacted`, value: artifacts.put, unit: 'MiB/s' },
    { name: `artifact get, ${ARTIFACT_MB} MiB stream`, value: artifacts.get, unit: 'MiB/s' },
    {
      name: 'redact a small payload without secrets',
      value: redaction,
      unit: 'µs',
      // 20,000 appends/s leave 50 µs per event; redaction must stay a small part of that
      target: { op: '<=', value: 10 },
    },
    {
      name: 'redact 1 MB of text with 20 registered values',
      value: redactionMegabyte,
      unit: 'ms',
      target: { op: '<=', value: 250 },
    },
    ...turns,
    ...packs,
    ...skills,
    ...memory,
    ...load.results,
    ...browser,
    ...ssh,
    ...panic,
    ...mcp,
    ...tools,
    ...a2aQueue(dir),
  );
  printResults(results);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
