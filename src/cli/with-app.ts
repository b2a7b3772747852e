import { enableDelegation } from '../a2a/index.js';
import { openApp, type PyclawApp } from '../runtime/index.js';

export type JsonOption = { json?: boolean };

/** Opens PYCLAW_HOME for one command and closes it afterwards, whatever happens. */
export async function withApp<T>(work: (app: PyclawApp) => Promise<T> | T): Promise<T> {
  const app = await openApp();
  enableDelegation(app);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
