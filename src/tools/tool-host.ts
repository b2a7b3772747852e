import { z } from 'zod';
import type { ArtifactStore } from '../artifact/index.js';
import { errorMessage, PyclawError } from '../core/index.js';
import type { ToolSpec } from '../llm/index.js';
import { type SafetyBlock, SafetyBlockedError, type ToolIntent } from '../safety/index.js';
import type { Redactor } from '../secret/index.js';
import type { RelayedApproval, Tool, ToolAnnotations, ToolCallContext } from './contract.js';
import { headTailPreview } from './preview.js';
import { parseToolInput, toolInput } from './tool-input.js';
import { selectToolNames } from './tool-patterns.js';

export interface ToolCallRequest {
  /** The tool's dotted id. */
  tool: string;
  /** The arguments as the model sent them, not yet validated. */
  input: unknown;
}

/** What a call leaves for the event log (`tool.result`) and the model. */
export interface ToolRunResult {
  isError: boolean;
  /** The whole output when it fits in `previewBytes`, otherwise its head and tail and the artifact ref. */
  preview: string;
  /** Refs of the artifacts the call produced, the full output's last. */
  artifacts: string[];
  /** Set when a safety hard stop ended the call while it ran. */
  blocked?: SafetyBlock;
  /** Set when the call waits for a human's answer to an approval asked elsewhere (see `ToolOutput`). */
  awaits?: RelayedApproval;
}

export interface ToolHostOptions {
  artifacts: ArtifactStore;
  /** Largest output returned whole; default 4096. */
  previewBytes?: number;
  /** Applied to every output before it is cut into a preview (the event log redacts only what it sees). */
  redactor?: Redactor;
}

const previewBytesSchema = z.int().min(256).default(4096);
const toolIdPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Runs tools by id: validates input, contains failures, and moves large outputs into the artifact store. */
export class ToolHost {
  private readonly tools = new Map<string, { tool: Tool; spec: ToolSpec; validator: z.ZodType }>();
  private readonly artifacts: ArtifactStore;
  private readonly previewBytes: number;
  private readonly redact: (text: string) => string;

  constructor(tools: readonly Tool[], options: ToolHostOptions) {
    const previewBytes = previewBytesSchema.safeParse(options.previewBytes);
    if (!previewBytes.success) {
      throw new PyclawError('tool.bad-options', 'previewBytes must be an integer of at least 256');
    }
    this.previewBytes = previewBytes.data;
    this.artifacts = options.artifacts;
    const { redactor } = options;
    this.redact = redactor ? (text) => redactor.redactText(text) : (text) => text;
    this.add(tools);
  }

  /**
   * Registers more tools (those of a plugin or an MCP server, known only once loaded). All or none:
   * a bad name or a duplicate among them adds nothing.
   */
  add(tools: readonly Tool[]): void {
    const entries = tools.map((tool) => this.entry(tool));
    const names = entries.map(({ tool }) => tool.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) throw duplicateName(duplicate);
    for (const entry of entries) this.tools.set(entry.tool.name, entry);
  }

  /** Specs of the tools `patterns` select (ids or globs like `fs.*`), in registration order. */
  specs(patterns: readonly string[]): ToolSpec[] {
    return selectToolNames(patterns, [...this.tools.keys()]).flatMap(
      (name) => this.tools.get(name)?.spec ?? [],
    );
  }

  /** Undefined for a tool this host does not have. */
  facts(name: string): Readonly<ToolAnnotations> | undefined {
    return this.tools.get(name)?.tool.annotations;
  }

  /** What the call would touch, as its tool tells; undefined for an unknown tool or input it would refuse. */
  intent(call: ToolCallRequest): ToolIntent | undefined {
    const entry = this.tools.get(call.tool);
    if (!entry?.tool.intent) return undefined;
    const parsed = parseToolInput(call.tool, entry.validator, call.input);
    return parsed.ok ? entry.tool.intent(parsed.input) : undefined;
  }

  /**
   * Runs one call. Never throws for anything the call did wrong: an unknown tool, bad input, a failing
   * or cancelled tool all come back as isError results. Storing a large output can still throw (the
   * artifact store failed), and then the call's outcome is unknown. A tool that ignores `signal` is
   * waited for: reporting a call as ended while its tool may still be acting would make the log lie.
   */
  async run(call: ToolCallRequest, ctx: ToolCallContext, signal: AbortSignal): Promise<ToolRunResult> {
    const tool = this.tools.get(call.tool);
    if (!tool) return failure(`no tool named "${call.tool}"`);
    if (signal.aborted) return failure(`${call.tool} was cancelled before it started`);
    const parsed = parseToolInput(call.tool, tool.validator, call.input);
    if (!parsed.ok) return failure(parsed.message);
    try {
      const output = await tool.tool.execute({ ...ctx, redact: this.redact }, parsed.input, signal);
      if (output.awaits) return { isError: false, preview: '', artifacts: [], awaits: output.awaits };
      return await this.bounded(output.content, output.artifacts ?? [], output.isError ?? false);
    } catch (error) {
      if (error instanceof SafetyBlockedError) return { ...failure(error.message), blocked: error.block };
      if (signal.aborted) return failure(`${call.tool} was cancelled: ${oneLine(errorMessage(error))}`);
      return failure(oneLine(errorMessage(error)));
    }
  }

  /** Frees what the tools hold; every close runs even when one fails, and the first failure is thrown. */
  async close(): Promise<void> {
    const closes = new Set([...this.tools.values()].flatMap(({ tool }) => tool.close ?? []));
    const results = await Promise.allSettled([...closes].map((close) => close()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async bounded(content: string, artifacts: string[], isError: boolean): Promise<ToolRunResult> {
    const bytes = Buffer.from(this.redact(content));
    if (bytes.length <= this.previewBytes) return { isError, preview: bytes.toString('utf8'), artifacts };
    const { ref } = await this.artifacts.put(bytes, { mime: 'text/plain; charset=utf-8' });
    return {
      isError,
      preview: headTailPreview(bytes, ref, this.previewBytes),
      artifacts: [...artifacts, ref],
    };
  }

  private entry(tool: Tool): { tool: Tool; spec: ToolSpec; validator: z.ZodType } {
    if (!toolIdPattern.test(tool.name)) {
      throw new PyclawError('tool.bad-name', `tool name "${tool.name}" is not a dotted id like fs.read`);
    }
    if (this.tools.has(tool.name)) throw duplicateName(tool.name);
    const { jsonSchema, validator } = toolInput(tool);
    return {
      tool,
      spec: { name: tool.name, description: tool.description, inputSchema: jsonSchema },
      validator,
    };
  }
}

function duplicateName(name: string): PyclawError {
  return new PyclawError('tool.duplicate', `two tools are named "${name}"`);
}

function failure(message: string): ToolRunResult {
  return { isError: true, preview: message, artifacts: [] };
}

function oneLine(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}
