export {
  capsuleText,
  type IdentityCapsule,
  identityCapsuleSchema,
  type RiskPosture,
  riskPostures,
} from './capsule.js';
export {
  type IdentityVersion,
  identityHistory,
  type RecordedIdentity,
  recordIdentity,
} from './versions.js';
