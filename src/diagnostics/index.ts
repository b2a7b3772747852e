export { type AgentReset, resetAgent } from './agent-reset.js';
export { type CheckResult, checkResultSchema, checkStatuses } from './check-result.js';
export { type DoctorOptions, runDoctor } from './doctor.js';
export { type ClearedCache, clearSessionCaches } from './session-caches.js';
