import { execFileSync } from 'node:child_process';

/**
 * Writes back what earlier work left dirty in the page cache (a fill of the log, an earlier bench), so
 * the kernel's writeback of it does not land in the measurement that follows.
 */
export function settleDisk(): void {
  execFileSync('sync');
}

/** Runs `work` and returns how long it took in milliseconds. */
export function timeMs(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function timeMsAsync(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** The median of `runs` timings of `work`, in milliseconds. */
export function medianMs(runs: number, work: () => void): number {
  return median(Array.from({ length: runs }, () => timeMs(work)));
}

export interface Result {
  name: string;
  value: number;
  unit: string;
  target?: { op: '>=' | '<='; value: number };
}

export function meetsTarget(result: Result): boolean | null {
  if (!result.target) return null;
  return result.target.op === '>='
    ? result.value >= result.target.value
    : result.value <= result.target.value;
}

export function printResults(results: Result[]): void {
  const rows = results.map((r) => {
    const met = meetsTarget(r);
    return [
      r.name,
      `${r.value.toLocaleString('en-US', { maximumFractionDigits: 3 })} ${r.unit}`,
      r.target ? `${r.target.op} ${r.target.value.toLocaleString('en-US')}` : '',
      met === null ? '' : met ? 'ok' : 'MISSED',
    ];
  });
  const header = ['benchmark', 'result', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(
    `${JSON.stringify({ results: results.map((r) => ({ ...r, met: meetsTarget(r) })) }, null, 2)}\n\n`,
  );
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}
