import { createHash } from 'node:crypto';
import { type ArtifactStore, refOf } from '../artifact/index.js';
import { latestPackEvent } from '../compress/index.js';
import { PyclawError, type StoredEvent } from '../core/index.js';
import type { EventLog } from '../session/index.js';
import type { Db } from '../storage/index.js';
import type { PromptPack } from './pack-document.js';
import { promptPackSchema } from './pack-document.js';
import {
  applyPackPatch,
  type PackPatch,
  type PackPieces,
  packPatch,
  packPatchSchema,
  packPieces,
  packText,
} from './pack-patch.js';

export const promptPackMime = 'application/vnd.pyclaw.promptpack+json';

/**
 * A pack is patched from an earlier one at most this many times in a row, so rebuilding one reads a
 * bounded chain; and only when its patch is under three quarters of its size, else it is stored whole.
 */
const maxPatchChain = 32;

/** The `context.packed` fields that name a pack: its hash, and its artifact or its patch. */
export interface PackNaming {
  packHash: string;
  packArtifact?: string;
  packPatch?: PackPatch;
}

/** A pack ready to be recorded by a `context.packed` event. */
export interface PreparedPack {
  naming: PackNaming;
  /** Stores what the naming refers to (the artifact of a pack stored whole); in the event's commit. */
  store(): void;
  /** Says the event was appended: the session's next pack may be patched from this one. */
  recorded(event: StoredEvent): void;
}

/** Where packs are recorded: the session's log, and the artifacts whole packs are kept in. */
export interface PackRecords {
  db: Db;
  log: EventLog;
  artifacts: ArtifactStore;
}

/** A recorded pack as a patch base: its event, the patches it is at the end of, and its pieces. */
interface RecordedBase {
  event: StoredEvent;
  chain: number;
  pieces: PackPieces;
}

/** The pack this process recorded last in each of its recent sessions: the base for the next one. */
const recordedBases = new WeakMap<EventLog, Map<string, RecordedBase>>();
const sessionsWithBases = 16;

function keepBase(log: EventLog, sessionId: string, base: RecordedBase | undefined): void {
  let bySession = recordedBases.get(log);
  if (!bySession) {
    bySession = new Map();
    recordedBases.set(log, bySession);
  }
  bySession.delete(sessionId);
  if (base) bySession.set(sessionId, base);
  const oldest = bySession.keys().next();
  if (bySession.size > sessionsWithBases && !oldest.done) bySession.delete(oldest.value);
}

/**
 * Prepares a new pack's record. It is stored as JSON, redacted: as a patch of the session's last
 * pack when that is small, else whole, as an artifact whose temp file is written now. Not fsynced: a
 * pack lost with a power loss is built again from the log, and fsyncs would cost more than the rest
 * of a turn.
 */
export async function preparePack(
  records: PackRecords,
  sessionId: string,
  pack: PromptPack,
): Promise<PreparedPack> {
  const { log, artifacts } = records;
  const { pieces, text } = storedForm(artifacts, pack);
  const hash = sha256(text);
  const previous = pieces && (await patchableBase(records, sessionId));
  const patched = previous && pieces && packPatch(previous.pieces, previous.event.seq, pieces);
  if (previous && pieces && patched && patched.size * 4 <= text.length * 3) {
    return {
      naming: { packHash: hash, packPatch: patched.patch },
      store: () => {},
      recorded: (event) => keepBase(log, sessionId, { event, chain: previous.chain + 1, pieces }),
    };
  }
  const staged = artifacts.stageText(text, { mime: promptPackMime, durable: false });
  return {
    naming: { packHash: staged.hash, packArtifact: refOf(staged.hash) },
    store: () => artifacts.putStaged(staged),
    // a redactor that changed its own output would leave the artifact unlike `pieces`: no base then
    recorded: (event) =>
      keepBase(log, sessionId, pieces && staged.hash === hash ? { event, chain: 0, pieces } : undefined),
  };
}

/** The pack's text as stored, and its pieces (unless redaction left text that is no longer a pack's JSON). */
function storedForm(artifacts: ArtifactStore, pack: PromptPack): { pieces?: PackPieces; text: string } {
  const pieces = packPieces(pack);
  const text = packText(pieces);
  const redacted = artifacts.redacted(text);
  if (redacted === text) return { pieces, text };
  const reread = piecesOf(redacted);
  return reread && packText(reread) === redacted ? { pieces: reread, text: redacted } : { text: redacted };
}

/**
 * The pack to patch from: the one this process recorded last in the session, if its event is in the
 * log (a commit rolled back would have left it out); else the session's latest, read back. None when
 * its chain of patches is already at the limit.
 */
async function patchableBase(records: PackRecords, sessionId: string): Promise<RecordedBase | undefined> {
  const { db, log } = records;
  const last = recordedBases.get(log)?.get(sessionId);
  const kept = last && log.idAt(sessionId, last.event.seq) === last.event.id;
  const base = kept ? last : await readBase(records, latestPackEvent(db, log, sessionId));
  return base && base.chain < maxPatchChain ? base : undefined;
}

async function readBase(records: PackRecords, event: StoredEvent | undefined) {
  if (!event) return undefined;
  const recorded = await recordedPack(records, event).catch(() => undefined);
  const pieces = recorded && piecesOf(recorded.text);
  return pieces && { event, chain: recorded.chain, pieces };
}

/**
 * The pack a `context.packed` event recorded: its artifact, or its patch applied to the pack of the
 * earlier event it names (and so on back to an artifact), checked against the recorded hashes.
 * A missing or damaged pack is a one-line error naming it.
 */
export async function loadRecordedPack(
  records: Omit<PackRecords, 'db'>,
  event: StoredEvent,
): Promise<PromptPack> {
  const { text } = await recordedPack(records, event);
  const parsed = promptPackSchema.safeParse(safeJson(text));
  if (!parsed.success) throw damaged(event, 'it is not a valid pack');
  return parsed.data;
}

/** The text of a recorded pack, and how many patches it was rebuilt through. */
async function recordedPack(
  { log, artifacts }: Omit<PackRecords, 'db'>,
  event: StoredEvent,
): Promise<{ text: string; chain: number }> {
  const patches: PackPatch[] = [];
  let root = event;
  let naming = root.payload as Partial<PackNaming>;
  while (naming.packArtifact === undefined) {
    const patch = packPatchSchema.safeParse(naming.packPatch);
    if (!patch.success) throw damaged(event, `event #${root.seq} names no pack`);
    const base =
      patch.data.base < root.seq
        ? log.read(root.sessionId, { fromSeq: patch.data.base, toSeq: patch.data.base })[0]
        : undefined;
    if (base?.type !== 'context.packed') {
      throw damaged(event, `event #${root.seq} patches #${patch.data.base}, which recorded no pack`);
    }
    patches.push(patch.data);
    root = base;
    naming = root.payload as Partial<PackNaming>;
  }
  const stored = await artifactText(artifacts, naming.packArtifact);
  if (patches.length === 0) return { text: stored, chain: 0 };
  let pieces = piecesOf(stored);
  if (!pieces) throw damaged(event, `${naming.packArtifact} is not a valid pack`);
  try {
    for (const patch of patches.reverse()) pieces = applyPackPatch(pieces, patch);
  } catch (error) {
    throw damaged(event, (error as Error).message);
  }
  const text = packText(pieces);
  if (sha256(text) !== (event.payload as Partial<PackNaming>).packHash) {
    throw damaged(event, 'the rebuilt pack does not have the recorded hash');
  }
  return { text, chain: patches.length };
}

/** A whole pack's text, checked against the hash its ref names. */
async function artifactText(artifacts: ArtifactStore, ref: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await artifacts.getBytes(ref);
  } catch (error) {
    throw new PyclawError('context.pack-missing', `the prompt pack ${ref} cannot be read`, { cause: error });
  }
  if (refOf(sha256(bytes)) !== ref) {
    throw new PyclawError(
      'context.pack-damaged',
      `the prompt pack ${ref} was altered: its bytes do not have that hash`,
      {
        hint: 'run `pyclaw artifacts verify`',
      },
    );
  }
  return bytes.toString('utf8');
}

function piecesOf(text: string): PackPieces | undefined {
  try {
    return packPieces(JSON.parse(text) as PromptPack);
  } catch {
    return undefined;
  }
}

function damaged(event: StoredEvent, why: string): PyclawError {
  return new PyclawError(
    'context.pack-damaged',
    `the prompt pack of event #${event.seq} cannot be rebuilt: ${why}`,
    { hint: 'run `pyclaw sessions verify` and `pyclaw artifacts verify`' },
  );
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
