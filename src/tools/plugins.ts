import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { errorMessage, PyclawError } from '../core/index.js';
import type { Tool } from './contract.js';

/**
 * What a plugin's tool must look like. Annotations left out take the cautious value (may change and
 * destroy things, not safe to re-run, reaches the network), so policy asks before each call.
 */
const pluginToolSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().min(1),
  input: z
    .custom<z.ZodObject>((value) => typeof (value as z.ZodType | undefined)?.safeParse === 'function', {
      message: 'expected a zod object schema',
    })
    .optional(),
  inputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z
    .strictObject({
      readOnly: z.boolean().default(false),
      destructive: z.boolean().default(true),
      idempotent: z.boolean().default(false),
      openWorld: z.boolean().default(true),
    })
    .prefault({}),
  execute: z.custom<Tool['execute']>((value) => typeof value === 'function', {
    message: 'expected a function',
  }),
});

const pluginExportsSchema = z.union([z.array(z.unknown()), z.unknown().transform((tool) => [tool])]);

/**
 * Loads the tools of each plugin named in config: a local module (a path, relative to `baseDir`) or an
 * npm package (resolved from `baseDir`'s node_modules, then PyClaw's own). A plugin exports its tools as
 * a `tools` array or as its default export (one tool or an array).
 */
export async function loadPlugins(plugins: readonly string[], baseDir: string): Promise<Tool[]> {
  const loaded = await Promise.all(plugins.map((plugin) => loadPlugin(plugin, baseDir)));
  return loaded.flat();
}

async function loadPlugin(plugin: string, baseDir: string): Promise<Tool[]> {
  const module = await importPlugin(plugin, baseDir);
  const exported = module.tools ?? module.default;
  if (exported === undefined) {
    throw new PyclawError('plugin.no-tools', `plugin ${plugin} exports no tools`, {
      hint: 'export a `tools` array of Tool objects, or a default export (one Tool or an array)',
    });
  }
  const tools = pluginExportsSchema.parse(exported);
  return tools.map((tool, index) => checkTool(plugin, tool, index));
}

function checkTool(plugin: string, candidate: unknown, index: number): Tool {
  const result = pluginToolSchema.safeParse(candidate);
  const name = (candidate as { name?: unknown } | undefined)?.name;
  const where = `plugin ${plugin}: tools[${index}]${typeof name === 'string' ? ` (${name})` : ''}`;
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const key = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new PyclawError('plugin.bad-tool', `${where}: ${key}${issue.message}`);
  }
  const tool = result.data;
  if ((tool.input === undefined) === (tool.inputSchema === undefined)) {
    throw new PyclawError(
      'plugin.bad-tool',
      `${where}: give either input (a zod object) or inputSchema (JSON Schema)`,
    );
  }
  return tool as Tool;
}

async function importPlugin(plugin: string, baseDir: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(resolvePlugin(plugin, baseDir)).href)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof PyclawError) throw error;
    throw new PyclawError('plugin.load', `plugin ${plugin} failed to load: ${firstLine(error)}`, {
      cause: error,
    });
  }
}

function resolvePlugin(plugin: string, baseDir: string): string {
  if (plugin.startsWith('.') || isAbsolute(plugin)) {
    const path = resolve(baseDir, plugin);
    if (!existsSync(path)) throw new PyclawError('plugin.not-found', `plugin ${plugin}: no file at ${path}`);
    return path;
  }
  for (const from of [join(baseDir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve(plugin);
    } catch {
      // not installed there
    }
  }
  throw new PyclawError('plugin.not-found', `plugin ${plugin} is not installed`, {
    hint: `run \`npm install ${plugin}\` in ${baseDir}, or give a path to a local module`,
  });
}

function firstLine(error: unknown): string {
  return errorMessage(error).split('\n', 1)[0] ?? '';
}
