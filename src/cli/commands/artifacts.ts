import { pipeline } from 'node:stream/promises';
import pc from 'picocolors';
import { formatBytes, formatTime, printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

export function list(options: JsonOption & { limit: number }): Promise<void> {
  return withApp((app) => {
    const artifacts = app.artifacts.list({ limit: options.limit });
    if (options.json) return printJson(artifacts);
    printTable(
      artifacts,
      [
        { header: 'REF', value: (a) => a.ref },
        { header: 'SIZE', value: (a) => formatBytes(a.size) },
        { header: 'MIME', value: (a) => a.mime },
        { header: 'RETENTION', value: (a) => a.retention },
        { header: 'CREATED', value: (a) => formatTime(a.createdAt) },
        { header: 'ALIASES', value: (a) => a.aliases.join(', ') },
      ],
      'no artifacts yet',
    );
  });
}

export function cat(ref: string): Promise<void> {
  return withApp((app) => pipeline(app.artifacts.get(ref), process.stdout, { end: false }));
}

export function gc(options: JsonOption & { grace: number }): Promise<void> {
  return withApp(async (app) => {
    const result = await app.artifacts.gc({ graceMs: options.grace * 60_000 });
    if (options.json) return printJson(result);
    process.stdout.write(`removed ${result.removed.length} blobs, freed ${formatBytes(result.freedBytes)}\n`);
  });
}

export function verify(options: JsonOption): Promise<void> {
  return withApp(async (app) => {
    const report = await app.artifacts.checkIntegrity();
    const bad = report.corrupt.length + report.missing.length;
    if (bad > 0) process.exitCode = 1;
    if (options.json) return printJson(report);
    for (const hash of report.corrupt) process.stdout.write(`${pc.red('CORRUPT')} sha256:${hash}\n`);
    for (const hash of report.missing) process.stdout.write(`${pc.red('MISSING')} sha256:${hash}\n`);
    process.stdout.write(
      `checked ${report.checked} blobs: ${bad === 0 ? pc.green('all intact') : `${bad} bad`}\n`,
    );
  });
}
