import type { z } from 'zod';
import type { ArtifactStore } from '../artifact/index.js';
import type { ToolIntent } from '../safety/index.js';

/** What a tool's behaviour implies for policy and for resuming a call that was in doubt. */
export interface ToolAnnotations {
  /** Changes nothing outside PyClaw. */
  readOnly: boolean;
  /** May destroy or overwrite what existed before (meaningful only when not readOnly). */
  destructive: boolean;
  /** Running it twice with the same input has the same effect as once: safe to re-run when in doubt. */
  idempotent: boolean;
  /** Reaches beyond the machine's own files (network, remote hosts, a browser). */
  openWorld: boolean;
}

export interface ToolContext {
  sessionId: string;
  turnId: string;
  callId: string;
  /** Absolute paths the call may touch; the first is its working directory. */
  workspaceRoots: readonly string[];
  artifacts: ArtifactStore;
  /**
   * Replaces known secrets in text. A tool that cuts its output into a preview redacts before cutting:
   * a secret cut in half would no longer be recognised.
   */
  redact(text: string): string;
}

/** The context a caller gives the host; the host adds `redact`. */
export type ToolCallContext = Omit<ToolContext, 'redact'>;

export interface ToolOutput {
  content: string;
  /** Refs (`sha256:<hex>`) of artifacts the tool stored itself. */
  artifacts?: string[];
  isError?: boolean;
  /**
   * The call cannot finish until a human answers an approval asked in another session (that of an
   * agent it delegated to). The runtime then asks it in this call's turn instead of recording a result,
   * and runs the call again once it is answered; `content` is ignored.
   */
  awaits?: RelayedApproval;
}

/** An approval pending in another session, to be asked again where a call is waiting on it. */
export interface RelayedApproval {
  sessionId: string;
  approvalId: string;
  /** What the human is asked, as this call's turn shows it. */
  summary: string;
  /** It asks whether to re-run an interrupted call, so it can only be approved once. */
  inDoubt: boolean;
}

/** A JSON Schema for a tool's input, as an MCP server or a plugin states it. */
export type JsonSchemaObject = Record<string, unknown>;

interface ToolBase<Input> {
  /** Dotted id, e.g. `fs.read`; providers map it to a wire name. */
  name: string;
  description: string;
  annotations: ToolAnnotations;
  /** What a call would touch (paths, a command, URLs), for safety to check before policy decides. */
  intent?(input: Input): ToolIntent;
  /** May throw: the host turns a thrown error into an isError result. */
  execute(ctx: ToolContext, input: Input, signal: AbortSignal): Promise<ToolOutput>;
  /**
   * Frees what the tool holds (a browser, a connection) when the process ends. Tools sharing one
   * resource share one function; the host calls each distinct function once.
   */
  close?: () => Promise<void>;
}

/** A tool's input is declared either as a zod schema or, for tools described elsewhere, as JSON Schema. */
export type Tool<Input = unknown> = ToolBase<Input> &
  (
    | {
        /** Validates the model's arguments; its JSON Schema is what the model sees. */
        input: z.ZodObject & z.ZodType<Input>;
        inputSchema?: undefined;
      }
    | {
        /** What the model sees, as given; the model's arguments are validated against it. */
        inputSchema: JsonSchemaObject;
        input?: undefined;
      }
  );

/** Declares a tool so that `execute` sees the input type its schema parses to. */
export function defineTool<Schema extends z.ZodObject>(
  tool: Tool<z.infer<Schema>> & { input: Schema },
): Tool<z.infer<Schema>> {
  return tool;
}
