import type { EventLog } from '../session/index.js';
import type { Db } from '../storage/index.js';
import { MemoryCandidates } from './candidates.js';
import type { MemoryConfig } from './memory-config.js';
import { MemoryStore, type MemoryStoreOptions } from './memory-store.js';

/** Memories and the candidates that may become memories, over one database. */
export interface LongTermMemory {
  store: MemoryStore;
  candidates: MemoryCandidates;
  config: MemoryConfig;
}

export function openLongTermMemory(
  db: Db,
  log: EventLog,
  config: MemoryConfig,
  options: MemoryStoreOptions = {},
): LongTermMemory {
  const store = new MemoryStore(db, options);
  return { store, candidates: new MemoryCandidates(store, log, config, options.clock), config };
}
