export { type CheckResult, checkResultSchema, checkStatuses } from './check-result.js';
export { type DoctorOptions, runDoctor } from './doctor.js';
