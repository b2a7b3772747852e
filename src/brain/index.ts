export {
  type DecideInput,
  type NextStep,
  type PlannedCall,
  type ToolFacts,
  type TurnLimits,
  type TurnPhase,
  terminalEventTypes,
  turnLimitsSchema,
  turnPhases,
} from './contract.js';
export { assertTransition, checkTurn, type TransitionProblem } from './transitions.js';
