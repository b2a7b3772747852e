import pc from 'picocolors';
import { PyclawError } from '../../core/index.js';
import { type Provider, type ProviderTestResult, testProvider } from '../../llm/index.js';
import { type Config, modelToTry } from '../../runtime/index.js';
import { printJson, printTable } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

type ProviderCheck = { provider: string; providerKind: string; model: string } & ProviderTestResult;

/** `pyclaw llm test`: one tiny request per provider; exit 1 when any of them fails. */
export function test(options: JsonOption & { provider?: string; model?: string }): Promise<void> {
  return withApp(async (app) => {
    const providers = app.providers();
    const ids = options.provider ? [options.provider] : [...providers.keys()];
    if (ids.length === 0) {
      throw new PyclawError('cli.no-providers', `no providers in ${app.paths.config}`, {
        hint: 'add one under providers: (see the commented examples `pyclaw init` writes)',
      });
    }
    const checks: ProviderCheck[] = [];
    for (const id of ids) {
      const provider = requireProvider(providers, id, app.paths.config);
      const providerKind = app.config.providers[id]?.kind ?? '';
      const model = options.model ?? requireModel(app.config, id);
      checks.push({ provider: id, providerKind, model, ...(await testProvider(provider, model)) });
    }
    if (!checks.every((check) => check.ok)) process.exitCode = 1;
    if (options.json) return printJson(checks);
    printTable(
      checks,
      [
        { header: 'PROVIDER', value: (c) => c.provider },
        { header: 'KIND', value: (c) => c.providerKind },
        { header: 'MODEL', value: (c) => c.model },
        { header: 'RESULT', value: (c) => (c.ok ? pc.green('ok') : pc.red(c.kind)) },
        { header: 'LATENCY', value: (c) => (c.ok ? `${c.latencyMs} ms` : '') },
        { header: 'DETAIL', value: (c) => (c.ok ? JSON.stringify(c.text.slice(0, 40)) : c.message) },
      ],
      '',
    );
  });
}

function requireProvider(providers: Map<string, Provider>, id: string, configPath: string): Provider {
  const provider = providers.get(id);
  if (provider) return provider;
  const known = [...providers.keys()].join(', ') || 'none';
  throw new PyclawError('cli.no-provider', `no provider "${id}" in ${configPath} (configured: ${known})`);
}

function requireModel(config: Config, providerId: string): string {
  const model = modelToTry(config, providerId);
  if (model) return model;
  throw new PyclawError(
    'cli.no-model',
    `no agent uses provider "${providerId}", so there is no model to try`,
    {
      hint: `pass --model <name>, e.g. pyclaw llm test --provider ${providerId} --model <name>`,
    },
  );
}
