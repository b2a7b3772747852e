import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ArtifactStore } from '../src/artifact/index.js';
import type { NewEvent } from '../src/core/index.js';
import { createRedactor } from '../src/secret/index.js';
import { EventLog } from '../src/session/index.js';
import { type Db, openDatabase } from '../src/storage/index.js';
import { medianMs, printResults, type Result, timeMs, timeMsAsync } from './measure.js';

const SINGLE_COMMITS = 20_000;
const BATCHED_EVENTS = 200_000;
const BATCH_SIZE = 1_000;
const SLICE_SESSION_EVENTS = 1_000_000;
const ARTIFACT_MB = 64;

const dir = mkdtempSync(join(tmpdir(), 'pyclaw-bench-'));
const results: Result[] = [];

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
  return openDatabase(join(dir, `${name}.db`));
}

/** The floor: the same row shape inserted into a bare table, no validation, hashing or indexes. */
function bareInsertFloor(): { single: number; batched: number } {
  const db = freshDb('bare');
  db.exec(`CREATE TABLE bare (session_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, turn_id TEXT,
    step_id TEXT, trace_id TEXT NOT NULL, type TEXT NOT NULL, ts INTEGER NOT NULL, actor TEXT NOT NULL,
    payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID`);
  const insert = db.prepare('INSERT INTO bare VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)');
  const hash = 'f'.repeat(64);
  const row = (seq: number) => {
    const event = sampleEvent(seq);
    insert.run(
      's',
      seq,
      `id-${seq}`,
      event.turnId,
      't',
      event.type,
      Date.now(),
      event.actor,
      JSON.stringify(event.payload),
      hash,
      hash,
    );
  };
  const singleMs = timeMs(() => {
    for (let seq = 1; seq <= SINGLE_COMMITS; seq++) row(seq);
  });
  const batch = db.transaction((from: number) => {
    for (let seq = from; seq < from + BATCH_SIZE; seq++) row(seq);
  });
  const batchedMs = timeMs(() => {
    for (let from = SINGLE_COMMITS + 1; from < SINGLE_COMMITS + 1 + BATCHED_EVENTS; from += BATCH_SIZE)
      batch(from);
  });
  db.close();
  return { single: SINGLE_COMMITS / (singleMs / 1000), batched: BATCHED_EVENTS / (batchedMs / 1000) };
}

function eventLogAppends(): { single: number; batched: number } {
  const db = freshDb('append');
  const log = new EventLog(db, { redactor: createRedactor() });
  const session = log.createSession({ title: 'bench' }).id;
  const singleMs = timeMs(() => {
    for (let i = 0; i < SINGLE_COMMITS; i++) log.append(session, sampleEvent(i));
  });
  const batches = Array.from({ length: BATCHED_EVENTS / BATCH_SIZE }, (_, b) =>
    Array.from({ length: BATCH_SIZE }, (_, i) => sampleEvent(b * BATCH_SIZE + i)),
  );
  const batchedMs = timeMs(() => {
    for (const batch of batches) log.appendBatch(session, batch);
  });
  db.close();
  return { single: SINGLE_COMMITS / (singleMs / 1000), batched: BATCHED_EVENTS / (batchedMs / 1000) };
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
  const floor = bareInsertFloor();
  const log = eventLogAppends();
  const slice = sliceAtOneMillion();
  const artifacts = await artifactThroughput();
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
  );
  printResults(results);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
