export {
  type ArtifactInfo,
  artifactInfoSchema,
  type PutOptions,
  putOptionsSchema,
  type Retention,
  retentionSchema,
} from './artifact-info.js';
export { refOf } from './artifact-ref.js';
export {
  ArtifactStore,
  type GcReport,
  type IntegrityReport,
  type StagedText,
} from './artifact-store.js';
