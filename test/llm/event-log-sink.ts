import { join } from 'node:path';
import { EventLog } from '../../src/session/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

/** A real EventLog on a temporary SQLite file, with one session to record turns into. */
export function useEventLog(): () => { log: EventLog; sessionId: string } {
  const tempDir = useTempDirs('pyclaw-llm-');
  return () => {
    const log = new EventLog(openDatabase(join(tempDir(), 'pyclaw.db')));
    return { log, sessionId: log.createSession({ agentId: 'main' }).id };
  };
}
