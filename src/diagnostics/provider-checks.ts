import { testProvider } from '../llm/index.js';
import { modelToTry, type PyclawApp } from '../runtime/index.js';
import { type CheckResult, ok } from './check-result.js';

const providerWaitMs = 20_000;

/** One tiny request to each configured provider (scripted ones need none). */
export async function providerChecks(app: PyclawApp): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [id, config] of Object.entries(app.config.providers)) {
    const name = `${id} (${config.kind})`;
    if (config.kind === 'scripted') {
      results.push(ok('providers', name, 'scripted: answers from config, no network'));
      continue;
    }
    const model = modelToTry(app.config, id);
    if (!model) {
      results.push({
        area: 'providers',
        name,
        status: 'warn',
        detail: 'no agent uses it, so there is no model to try',
        fix: `pyclaw llm test --provider ${id} --model <name>`,
      });
      continue;
    }
    results.push(await tryProvider(app, id, name, model));
  }
  return results;
}

async function tryProvider(app: PyclawApp, id: string, name: string, model: string): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), providerWaitMs);
  });
  try {
    const provider = app.providers().get(id);
    if (!provider) throw new Error(`provider ${id} was not built`);
    const result = await Promise.race([testProvider(provider, model), timedOut]);
    if (result === 'timeout') {
      return failed(name, `no answer within ${providerWaitMs / 1000} s`, id);
    }
    return result.ok
      ? ok('providers', name, `${model} answered in ${result.latencyMs} ms`)
      : failed(name, `${result.kind}: ${result.message}`, id);
  } catch (error) {
    return failed(name, (error as Error).message, id);
  } finally {
    clearTimeout(timer);
  }
}

function failed(name: string, detail: string, id: string): CheckResult {
  return {
    area: 'providers',
    name,
    status: 'fail',
    detail,
    fix: `check providers.${id} in config.yaml (URL, key) and that the server runs; then pyclaw llm test --provider ${id}`,
  };
}
