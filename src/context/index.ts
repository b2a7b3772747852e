export { defaultContextWindow, packBudgets } from './budgets.js';
export { TokenCalibration } from './calibration.js';
export { currentTurnUnits } from './current-turn.js';
export { dataFenceRule, fenceData } from './fence.js';
export { buildPack, messageTokens, type PackInput, renderMessages } from './pack.js';
export {
  type PackBudgets,
  type PackedSection,
  type PackItem,
  type PackRequest,
  type PackSection,
  type PromptPack,
  packItemSchema,
  packSections,
  promptPackSchema,
} from './pack-document.js';
export type { MemorySnippet, SkillCardInput, SkillExcerptSource } from './sources.js';
export {
  loadRecordedPack,
  type PackNaming,
  type PreparedPack,
  preparePack,
  promptPackMime,
} from './stored-pack.js';
export { messageOverheadTokens, TokenCounter } from './tokens.js';
export { type ConversationUnit, conversationUnits, maskedOutput, windowEventTypes } from './window.js';
