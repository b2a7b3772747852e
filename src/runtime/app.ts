import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ArtifactStore } from '../artifact/index.js';
import { createLogger, type Logger } from '../core/index.js';
import { createProviders, type Provider } from '../llm/index.js';
import { type LongTermMemory, openLongTermMemory, providerEmbedder } from '../memory/index.js';
import { GrantStore } from '../policy/index.js';
import { Registry } from '../registry/index.js';
import { PanicSwitch } from '../safety/index.js';
import {
  createRedactor,
  type Keychain,
  loadKeychain,
  type Redactor,
  registerSecretsFromEnv,
  SecretResolver,
} from '../secret/index.js';
import { EventLog } from '../session/index.js';
import { type Db, type HomePaths, openDatabase, resolveHome } from '../storage/index.js';
import type { McpServers, Tool, ToolHost } from '../tools/index.js';
import { AppTools } from './app-tools.js';
import { type Config, loadConfig } from './config.js';

/** Everything a PyClaw process works with, opened from PYCLAW_HOME. */
export interface PyclawApp {
  paths: HomePaths;
  config: Config;
  db: Db;
  redactor: Redactor;
  secrets: SecretResolver;
  log: EventLog;
  artifacts: ArtifactStore;
  logger: Logger;
  /** Durable grants: approvals that hold for longer than one call. */
  grants: GrantStore;
  /** The global panic switch, shared through the database with every other PyClaw process. */
  panic: PanicSwitch;
  /** The providers from config, built on first use, with API keys resolved through `secrets`. */
  providers(): Map<string, Provider>;
  /** The agents from config, built on first use (which records any changed identity capsule). */
  registry(): Registry;
  /**
   * The one host of the process's tools, shared by all turns. Until `loadTools` it holds only the tools
   * config declares, which is all replay needs; plugin and MCP tools arrive with `loadTools`.
   */
  tools(): ToolHost;
  /**
   * Offers tools from beyond config (`agent.delegate`); agents still call them only when their `tools:`
   * select them. They join the host when it is built, so offering them costs a command nothing.
   */
  offerTools(tools: readonly Tool[]): void;
  /** Memories and candidates, searching by meaning too when `memory.embeddings` is set. */
  memory(): LongTermMemory;
  /**
   * Loads plugins and starts the MCP servers whose tools `patterns` (an agent's tool ids or globs;
   * default: every agent's) could select; each runs once per process. Run before a turn.
   */
  loadTools(patterns?: readonly string[]): Promise<ToolHost>;
  /** The MCP servers of config, each started when first asked for its tools. */
  mcp(): McpServers;
  /**
   * Closes the database and log, stops MCP servers, and frees what providers and tools hold (a local
   * model, a browser).
   */
  close(): Promise<void>;
}

export interface OpenAppOptions {
  env?: NodeJS.ProcessEnv;
  /** Defaults to the OS keychain when its optional binding loads (see `loadKeychain`). */
  keychain?: Keychain;
}

export async function openApp(options: OpenAppOptions = {}): Promise<PyclawApp> {
  const env = options.env ?? process.env;
  const paths = resolveHome(env);
  const config = loadConfig(paths.config);
  const redactor = createRedactor();
  registerSecretsFromEnv(redactor, env);
  const keychain = options.keychain ?? (await loadKeychain());
  const secrets = new SecretResolver({ env, secretsFile: paths.secrets, redactor, keychain });
  secrets.registerAll();
  mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  const logFd = openSync(join(paths.logs, 'pyclaw.log'), 'a', 0o600);
  const logger = createLogger({
    destination: { write: (line: string) => writeSync(logFd, line) },
    scrub: (line) => redactor.redactText(line),
    level: config.logging.level,
  });
  const db = openDatabase(paths.database, { durability: config.storage.durability });
  let providers: Map<string, Provider> | undefined;
  let registry: Registry | undefined;
  let memory: LongTermMemory | undefined;
  const artifacts = new ArtifactStore(db, paths.artifacts, { redactor });
  const log = new EventLog(db, { redactor });
  const tools = new AppTools(config, {
    artifacts,
    redactor,
    sources: { env, secrets },
    baseDir: paths.root,
    logger,
  });
  const app: PyclawApp = {
    paths,
    config,
    db,
    redactor,
    secrets,
    log,
    artifacts,
    logger,
    grants: new GrantStore(db, log),
    panic: new PanicSwitch(db),
    providers() {
      providers ??= createProviders(config.providers, {
        resolveSecret: secrets.resolveString,
        modelsDirectory: paths.models,
      });
      return providers;
    },
    registry() {
      registry ??= new Registry(db, config.agents);
      return registry;
    },
    tools() {
      return tools.declared();
    },
    offerTools(offered) {
      tools.offer(offered);
    },
    loadTools(patterns = Object.values(config.agents).flatMap((agent) => agent.tools)) {
      return tools.load(patterns);
    },
    mcp() {
      return tools.mcp;
    },
    memory() {
      const embeddings = config.memory.embeddings;
      memory ??= openLongTermMemory(db, log, config.memory, {
        embedder:
          embeddings &&
          providerEmbedder(
            app.providers().get(embeddings.provider) as Provider,
            embeddings.model,
            embeddings.dimensions,
          ),
        redact: (text) => redactor.redactText(text),
      });
      return memory;
    },
    async close() {
      await Promise.all([
        ...[...(providers?.values() ?? [])].map((provider) => provider.close?.()),
        tools.close(),
      ]);
      db.close();
      closeSync(logFd);
    },
  };
  return app;
}
