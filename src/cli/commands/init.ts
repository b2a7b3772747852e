import pc from 'picocolors';
import { initHome } from '../../runtime/index.js';

export async function init(options: { force?: boolean }): Promise<void> {
  const result = initHome(process.env, { force: options.force === true });
  process.stdout.write(`${pc.green('✓')} PyClaw home ready at ${result.paths.root}\n`);
  process.stdout.write(
    result.configWritten
      ? `  wrote ${result.paths.config} (commented; every key shown is the default)\n`
      : `  kept existing ${result.paths.config} (use --force to overwrite)\n`,
  );
  process.stdout.write(`  database ${result.paths.database} at schema version ${result.schemaVersion}\n`);
}
