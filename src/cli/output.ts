import pc from 'picocolors';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined;
}

/** A plain aligned table; an empty list prints a one-line note instead. */
export function printTable<Row>(rows: Row[], columns: Column<Row>[], emptyNote: string): void {
  if (rows.length === 0) {
    process.stdout.write(`${pc.dim(emptyNote)}\n`);
    return;
  }
  const cells = rows.map((row) => columns.map((column) => String(column.value(row) ?? '')));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => (line[i] ?? '').length)),
  );
  const format = (line: string[]) =>
    line
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${pc.bold(format(columns.map((column) => column.header)))}\n`);
  for (const line of cells) process.stdout.write(`${format(line)}\n`);
}

export function formatTime(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
