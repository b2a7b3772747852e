export {
  type Candidate,
  type CandidateStatus,
  MemoryCandidates,
  type ProposalOutcome,
  type ProposalSource,
} from './candidates.js';
export { type Embedder, providerEmbedder } from './embedder.js';
export { type LongTermMemory, openLongTermMemory } from './long-term-memory.js';
export {
  type AutoPromoteRule,
  type MemoryConfig,
  type MemoryKind,
  type MemoryScope,
  memoryConfigSchema,
  memoryKindSchema,
  memoryKinds,
  memoryScopeSchema,
} from './memory-config.js';
export type { Memory, Provenance } from './memory-rows.js';
export {
  type MemoryHit,
  MemoryStore,
  type MemoryStoreOptions,
  type NewMemory,
  type ReembedReport,
  type SearchOptions,
} from './memory-store.js';
export { normalizeText, textHash } from './normalize.js';
export { type MessageSender, turnScopes, userScopeOf } from './turn-scopes.js';
export { rebuildWordsIndex, wordsIndexProblem } from './words-index.js';
