import pc from 'picocolors';
import { toolEventLine } from '../../brain/index.js';
import type { StoredEvent } from '../../core/index.js';

interface Spinner {
  start(text?: string): unknown;
  stop(): unknown;
  isSpinning: boolean;
}

/**
 * What a terminal shows while a turn runs: a spinner while the model or a tool works, each tool call
 * and its result as they are recorded, and the answer streamed as it arrives.
 */
export class LiveTurnView {
  streamed = false;

  private constructor(private readonly spinner: Spinner) {}

  static async start(): Promise<LiveTurnView> {
    const { default: ora } = await import('ora');
    // ora redraws without end on a terminal that reports no width, so such a terminal gets no spinner
    const drawable = process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0;
    const spinner = ora({ stream: process.stderr, discardStdin: false, isSilent: !drawable });
    spinner.start('thinking');
    return new LiveTurnView(spinner);
  }

  readonly onEvent = (event: StoredEvent): void => {
    const line = toolEventLine(event);
    if (line === undefined) return;
    this.spinner.stop();
    process.stderr.write(`${pc.dim(line)}\n`);
    this.spinner.start(event.type === 'tool.requested' ? 'working' : 'thinking');
  };

  readonly onDelta = (text: string): void => {
    this.spinner.stop();
    this.streamed = true;
    process.stdout.write(text);
  };

  stop(): void {
    this.spinner.stop();
  }
}
