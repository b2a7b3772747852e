import type { StoredEvent } from '../core/index.js';

/**
 * Fault injection for crash tests: `PYCLAW_TEST_CRASH_AFTER=<event type>[#<n>]` kills this process with
 * SIGKILL right after it appended the nth event of that type (the first by default). Unset, it does nothing.
 */
export function crashPointFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ((event: StoredEvent) => void) | undefined {
  const spec = env.PYCLAW_TEST_CRASH_AFTER;
  if (!spec) return undefined;
  const [type, nth = '1'] = spec.split('#');
  let seen = 0;
  return (event) => {
    if (event.type === type && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
  };
}
