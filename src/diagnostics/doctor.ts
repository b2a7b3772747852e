import type { PyclawApp } from '../runtime/index.js';
import type { CheckResult } from './check-result.js';
import { channelChecks, chromiumCheck, clockCheck, diskCheck } from './environment-checks.js';
import { a2aLeaseCheck, leaseCheck } from './lease-checks.js';
import { artifactCheck, eventChainCheck } from './log-checks.js';
import { providerChecks } from './provider-checks.js';
import { sshChecks } from './ssh-checks.js';
import { storageChecks } from './storage-checks.js';
import { toolChecks } from './tool-checks.js';

export interface DoctorOptions {
  /**
   * Apply the safe repairs: checkpoint the WAL, rebuild the memory words index, gc unreferenced
   * artifacts, release stale session leases and queue again delegated tasks whose worker is gone.
   */
  fix?: boolean;
  /** Verify every session's hash chain instead of the most recent ones. */
  full?: boolean;
}

/** Every check of `pyclaw doctor`, in the order they are shown. */
export async function runDoctor(app: PyclawApp, options: DoctorOptions = {}): Promise<CheckResult[]> {
  const fix = options.fix ?? false;
  return [
    ...storageChecks(app, fix),
    eventChainCheck(app, options.full ?? false),
    ...(await artifactCheck(app, fix)),
    leaseCheck(app, fix),
    a2aLeaseCheck(app, fix),
    ...(await providerChecks(app)),
    ...(await toolChecks(app)),
    ...(await sshChecks(app)),
    ...chromiumCheck(app),
    ...(await channelChecks(app)),
    diskCheck(app),
    clockCheck(app),
  ];
}
