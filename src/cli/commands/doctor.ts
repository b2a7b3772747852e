import pc from 'picocolors';
import { type CheckResult, type DoctorOptions, runDoctor } from '../../diagnostics/index.js';
import { printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

const statusText: Record<CheckResult['status'], string> = {
  ok: pc.green('ok'),
  warn: pc.yellow('warn'),
  fail: pc.red('FAIL'),
};

/** `pyclaw doctor`: a table of checks with a fix for each problem; exit 1 when any check fails. */
export function doctor(options: JsonOption & DoctorOptions): Promise<void> {
  return withApp(async (app) => {
    const results = await runDoctor(app, options);
    if (results.some((result) => result.status === 'fail')) process.exitCode = 1;
    if (options.json) return printJson(results);
    printTable(
      results,
      [
        { header: 'AREA', value: (r) => r.area },
        { header: 'CHECK', value: (r) => r.name },
        { header: 'STATUS', value: (r) => (r.fixed ? pc.green('fixed') : statusText[r.status]) },
        { header: 'DETAIL', value: (r) => r.fixed ?? r.detail },
      ],
      '',
    );
    const problems = results.filter((result) => result.status !== 'ok' && result.fix);
    for (const problem of problems) {
      process.stdout.write(`${statusText[problem.status]} ${problem.name}: ${problem.fix}\n`);
    }
  });
}
