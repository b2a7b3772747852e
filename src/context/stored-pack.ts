import { type ArtifactStore, refOf, type StagedText } from '../artifact/index.js';
import { PyclawError } from '../core/index.js';
import type { PromptPack } from './pack-document.js';
import { promptPackSchema } from './pack-document.js';

export const promptPackMime = 'application/vnd.pyclaw.promptpack+json';

/**
 * Writes the pack as a JSON artifact's temp file: its ref (`sha256:<hex>`) is known at once, and
 * `artifacts.putStaged` stores it. Not fsynced: a pack is rebuilt from the log if a power loss takes
 * it, and fsyncs would cost more than the rest of a turn.
 */
export function stagePack(artifacts: ArtifactStore, pack: PromptPack): StagedText & { ref: string } {
  const staged = artifacts.stageText(JSON.stringify(pack), { mime: promptPackMime, durable: false });
  return { ...staged, ref: refOf(staged.hash) };
}

/** Reads a stored pack back; a missing or damaged artifact is a one-line error naming it. */
export async function loadPack(artifacts: ArtifactStore, ref: string): Promise<PromptPack> {
  let text: string;
  try {
    text = (await artifacts.getBytes(ref)).toString('utf8');
  } catch (error) {
    throw new PyclawError('context.pack-missing', `the prompt pack ${ref} cannot be read`, { cause: error });
  }
  const parsed = promptPackSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new PyclawError('context.pack-damaged', `the prompt pack ${ref} is not a valid pack`, {
      hint: 'run `pyclaw artifacts verify`',
    });
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
