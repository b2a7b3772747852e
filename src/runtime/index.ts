export { addAgent, type NewAgent } from './add-agent.js';
export { type OpenAppOptions, openApp, type PyclawApp } from './app.js';
export {
  type ApprovalReply,
  findPendingApproval,
  type PendingApproval,
  pendingApprovals,
  type RelayedAnswer,
  relayedAnswers,
} from './approvals.js';
export {
  bindSession,
  boundSession,
  chatOfSession,
  lastReceivedUpdate,
  receiveUpdate,
  takeUpdate,
  untakenUpdates,
} from './channel-store.js';
export { useDetectedProvider } from './choose-provider.js';
export { type Config, configSchema, loadConfig, parseConfig } from './config.js';
export { configTemplate } from './config-template.js';
export { initHome } from './init-home.js';
export { findOpenTurns, type OpenTurn, sessionsWithOpenTurns } from './open-turns.js';
export { effectiveGrantStatus, engagePanic, releasePanic } from './panic-control.js';
export {
  type DetectProvidersOptions,
  detectProviders,
  type ProviderDetection,
  type ProviderOption,
} from './provider-detection.js';
export { modelToTry } from './provider-model.js';
export { replaySession, type SessionReplay } from './replay-session.js';
export { type RunSessionOptions, type RunSessionResult, runInSession } from './run-session.js';
export { type Schedule, scheduleSchema } from './schedule-config.js';
export { Scheduler } from './scheduler.js';
export {
  type HeldLease,
  heldLeases,
  holderIsAlive,
  type LeaseOptions,
  releaseStaleLeases,
  SessionLease,
  staleLeases,
} from './session-lease.js';
export { type TurnPack, turnPacks } from './turn-packs.js';
export {
  type ApprovalAnswer,
  type ApprovalPrompt,
  driveTurn,
  type MessageOrigin,
  type NewTurn,
  newTurn,
  type TurnEnvironment,
  type TurnOutcome,
} from './turn-runner.js';
