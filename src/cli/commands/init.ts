import { createInterface } from 'node:readline/promises';
import pc from 'picocolors';
import {
  detectProviders,
  initHome,
  loadConfig,
  type ProviderDetection,
  type ProviderOption,
  useDetectedProvider,
} from '../../runtime/index.js';

export async function init(options: { force?: boolean; provider?: string }): Promise<void> {
  const result = initHome(process.env, { force: options.force === true });
  const { paths } = result;
  process.stdout.write(`${pc.green('✓')} PyClaw home ready at ${paths.root}\n`);
  process.stdout.write(
    result.configWritten
      ? `  wrote ${paths.config} (commented; every key shown is the default)\n`
      : `  kept existing ${paths.config} (use --force to overwrite)\n`,
  );
  process.stdout.write(`  database ${paths.database} at schema version ${result.schemaVersion}\n`);

  const providersConfigured = Object.keys(loadConfig(paths.config).providers).length > 0;
  if (providersConfigured && !options.provider) return;
  const detection = await detectProviders({ env: process.env, modelsDirectory: paths.models });
  printDetection(detection);
  const choice = options.provider ?? (process.stdin.isTTY ? await askForProvider(detection) : undefined);
  if (choice) {
    const model = useDetectedProvider(paths.config, detection, choice);
    process.stdout.write(
      `${pc.green('✓')} added provider "${choice}"; the default agent uses ${model.provider}/${model.model}\n`,
    );
    process.stdout.write(`  check it with: pyclaw llm test --provider ${choice}\n`);
    return;
  }
  const [first, ...others] = usable(detection);
  if (first && first.id !== 'demo') {
    const alternatives = others.length > 0 ? ` (or --provider ${others.map((o) => o.id).join(', ')})` : '';
    process.stdout.write(`\nchoose one with: pyclaw init --provider ${first.id}${alternatives}\n`);
  } else {
    process.stdout.write(
      '\nno model is ready: set an API key, start Ollama, or put a .gguf file in ' +
        `${paths.models}, then run pyclaw init again; to try PyClaw offline now: pyclaw init --provider demo\n`,
    );
  }
}

function printDetection(detection: ProviderDetection): void {
  process.stdout.write(`\n${pc.bold('Model providers found on this machine:')}\n`);
  if (detection.found.length === 0) process.stdout.write('  none\n');
  for (const option of detection.found) {
    const blocked = 'blocked' in option.setup ? pc.yellow(` — ${option.setup.blocked}`) : '';
    process.stdout.write(`  ${pc.bold(option.id.padEnd(9))} ${option.explanation}${blocked}\n`);
  }
  if (detection.notFound.length > 0) {
    process.stdout.write(pc.dim(`  not found: ${detection.notFound.join(', ')}\n`));
  }
}

function usable(detection: ProviderDetection): ProviderOption[] {
  return detection.found.filter((option) => !('blocked' in option.setup));
}

/** A numbered choice on the terminal; Enter alone skips. */
async function askForProvider(detection: ProviderDetection): Promise<string | undefined> {
  const options = usable(detection);
  if (options.length === 0) return undefined;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  // Ctrl+C or Ctrl+D skips the choice instead of leaving the question pending
  const closed = new AbortController();
  prompt.once('close', () => closed.abort());
  prompt.once('SIGINT', () => prompt.close());
  try {
    options.forEach((option, index) => {
      process.stdout.write(`  ${index + 1}) ${option.id}\n`);
    });
    for (;;) {
      const question = `Use which provider? [1-${options.length}, Enter to skip] `;
      const answer = (await prompt.question(question, { signal: closed.signal }).catch(() => '')).trim();
      if (answer === '') return undefined;
      const option = options[Number(answer) - 1];
      if (option) return option.id;
    }
  } finally {
    prompt.close();
  }
}
