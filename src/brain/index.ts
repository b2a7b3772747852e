export {
  type DecideInput,
  type NextStep,
  type PlannedCall,
  type ToolFacts,
  type TurnPhase,
  turnPhases,
} from './contract.js';
export { turnConversation } from './conversation.js';
export { decideNext } from './decide.js';
export { renderTranscript, toolEventLine } from './transcript.js';
export { assertTransition, checkTurn, type TransitionProblem } from './transitions.js';
