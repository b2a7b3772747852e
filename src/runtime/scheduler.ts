import { Cron } from 'croner';
import { errorMessage, PyclawError, systemClock } from '../core/index.js';
import { inTransaction } from '../storage/index.js';
import type { PyclawApp } from './app.js';
import { bindSession, boundSession } from './channel-store.js';
import { type RunSessionResult, runInSession } from './run-session.js';

/**
 * Runs the configured schedules' turns. Each planned time is claimed in the transaction that records
 * the turn's message, keyed by schedule and time, so a time never runs twice: not after a restart, and
 * not with two daemons on one home. A schedule's turns share one session, so it keeps its history.
 */
export class Scheduler {
  private readonly jobs: Cron[] = [];

  constructor(
    private readonly app: PyclawApp,
    private readonly onRun: (scheduleId: string, result: RunSessionResult) => void = () => {},
  ) {}

  start(): this {
    for (const [id, schedule] of Object.entries(this.app.config.schedules)) {
      const job = new Cron(schedule.cron, { timezone: schedule.timezone, protect: true }, async (self) => {
        const planned = self.currentRun() ?? new Date(systemClock.now());
        try {
          await this.fire(id, planned);
        } catch (error) {
          this.app.logger.error({ schedule: id, err: errorMessage(error) }, 'scheduled turn failed to run');
        }
      });
      this.jobs.push(job);
    }
    return this;
  }

  stop(): void {
    for (const job of this.jobs.splice(0)) job.stop();
  }

  /** Runs `scheduleId`'s turn for `planned` unless that time already ran; undefined when it had. */
  async fire(scheduleId: string, planned: Date): Promise<RunSessionResult | undefined> {
    const schedule = this.app.config.schedules[scheduleId];
    if (!schedule) throw new PyclawError('schedule.unknown', `no schedule "${scheduleId}" in config`);
    const plannedAt = Math.floor(planned.getTime() / 1000) * 1000;
    if (this.claimed(scheduleId, plannedAt)) return undefined;
    const sessionId = this.sessionOf(scheduleId, schedule.agent);
    const claim = this.app.db.prepare(
      'INSERT OR IGNORE INTO schedule_runs (schedule_id, planned_at, session_id, claimed_at) VALUES (?, ?, ?, ?)',
    );
    try {
      const result = await runInSession(this.app, {
        sessionId,
        message: schedule.message,
        origin: { channel: 'schedule', externalUserId: scheduleId },
        onMessageRecorded: () => {
          if (claim.run(scheduleId, plannedAt, sessionId, systemClock.now()).changes === 0) throw alreadyRan;
        },
      });
      this.onRun(scheduleId, result);
      return result;
    } catch (error) {
      if (error === alreadyRan) return undefined;
      // Another process is running this schedule's session right now: that run has this time.
      if (error instanceof PyclawError && error.code === 'runtime.session-busy') return undefined;
      throw error;
    }
  }

  private claimed(scheduleId: string, plannedAt: number): boolean {
    return (
      this.app.db
        .prepare('SELECT 1 FROM schedule_runs WHERE schedule_id = ? AND planned_at = ?')
        .get(scheduleId, plannedAt) !== undefined
    );
  }

  /** The schedule's one session, created on its first run (once, even when two processes race). */
  private sessionOf(scheduleId: string, agentId: string): string {
    const { db, log } = this.app;
    return inTransaction(db, () => {
      const bound = boundSession(db, 'schedule', scheduleId);
      if (bound) return bound;
      const session = log.createSession({ agentId, title: `schedule ${scheduleId}` });
      bindSession(db, 'schedule', scheduleId, session.id, systemClock.now());
      return session.id;
    });
  }
}

const alreadyRan = new PyclawError('schedule.already-ran', 'another process ran this scheduled time');
