export { artifactHashesIn } from './artifact-refs.js';
export { EventLog, type SeqRange } from './event-log.js';
export {
  type SessionInfo,
  type SessionSummary,
  sessionInfoSchema,
  sessionSummarySchema,
  type VerifyReport,
  verifyReportSchema,
} from './session-info.js';
