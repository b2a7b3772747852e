import { z } from 'zod';
import type { PromptPack } from './pack-document.js';

/**
 * A pack written as the changes from an earlier pack: the next model call of a turn, or the next turn
 * of a session, shares most of its prompt with the one before, so its record names that pack and says
 * what differs instead of storing the whole text again. Items travel as their JSON text, so a patched
 * pack serialises to exactly the bytes (and hash) it had when it was built.
 */

const listNames = ['sections', 'telemetry', 'messages', 'tools'] as const;
const fieldNames = ['format', 'budgets', 'totalTokens'] as const;
type ListName = (typeof listNames)[number];
type FieldName = (typeof fieldNames)[number];

/** Items of a list: a range copied from the base's list (`[from, count]`), or items (as JSON) the base lacks. */
const runSchema = z.union([
  z.strictObject({ copy: z.tuple([z.int().nonnegative(), z.int().positive()]) }),
  z.strictObject({ add: z.array(z.string()).min(1) }),
]);
type Run = z.infer<typeof runSchema>;

export const packPatchSchema = z.strictObject({
  /** The seq of the earlier `context.packed` event (same session) whose pack this one is patched from. */
  base: z.int().positive(),
  /** Fields whose value (as JSON) differs from the base's. */
  fields: z.partialRecord(z.enum(fieldNames), z.string()).optional(),
  /** Lists that differ from the base's, as the runs that build them. */
  lists: z.partialRecord(z.enum(listNames), z.array(runSchema)).optional(),
});
export type PackPatch = z.infer<typeof packPatchSchema>;

/** A pack as JSON pieces: each field's JSON and each list item's, in the order the stored text has them. */
export interface PackPieces {
  fields: Record<FieldName, string>;
  lists: Record<ListName, string[]>;
}

export function packPieces(pack: PromptPack): PackPieces {
  const json = (items: readonly unknown[]) => items.map((item) => JSON.stringify(item));
  return {
    fields: {
      format: JSON.stringify(pack.format),
      budgets: JSON.stringify(pack.budgets),
      totalTokens: JSON.stringify(pack.totalTokens),
    },
    lists: {
      sections: json(pack.sections),
      telemetry: json(pack.telemetry),
      messages: json(pack.request.messages),
      tools: json(pack.request.tools),
    },
  };
}

/** The pack's stored text: the JSON of a PromptPack, its keys in one fixed order. */
export function packText({ fields, lists }: PackPieces): string {
  const list = (name: ListName) => `[${lists[name].join(',')}]`;
  return (
    `{"format":${fields.format},"budgets":${fields.budgets},"totalTokens":${fields.totalTokens},` +
    `"sections":${list('sections')},"telemetry":${list('telemetry')},` +
    `"request":{"messages":${list('messages')},"tools":${list('tools')}}}`
  );
}

/** How `next` differs from `base`; and the patch's size in characters of item and field JSON. */
export function packPatch(
  base: PackPieces,
  baseSeq: number,
  next: PackPieces,
): { patch: PackPatch; size: number } {
  let size = 0;
  const fields = fieldNames.filter((name) => next.fields[name] !== base.fields[name]);
  for (const name of fields) size += next.fields[name].length;
  const lists = listNames.flatMap((name) => {
    const runs = runsFrom(base.lists[name], next.lists[name]);
    if (isWholeCopy(runs, base.lists[name].length)) return [];
    for (const run of runs) if ('add' in run) for (const item of run.add) size += item.length;
    return [[name, runs] as const];
  });
  const patch = {
    base: baseSeq,
    ...(fields.length > 0
      ? { fields: Object.fromEntries(fields.map((name) => [name, next.fields[name]])) }
      : {}),
    ...(lists.length > 0 ? { lists: Object.fromEntries(lists) } : {}),
  };
  return { patch, size };
}

/** The pack a patch describes, given its base's. Throws on a run outside the base's list. */
export function applyPackPatch(base: PackPieces, patch: PackPatch): PackPieces {
  const lists = Object.fromEntries(
    listNames.map((name) => {
      const runs = patch.lists?.[name];
      return [name, runs ? applyRuns(base.lists[name], runs) : base.lists[name]];
    }),
  ) as PackPieces['lists'];
  return { fields: { ...base.fields, ...patch.fields }, lists };
}

/** Each item found in the base (continuing the current copy where it can) is copied; others are added. */
function runsFrom(base: readonly string[], next: readonly string[]): Run[] {
  const firstIndex = new Map<string, number>();
  base.forEach((item, index) => {
    if (!firstIndex.has(item)) firstIndex.set(item, index);
  });
  const runs: Run[] = [];
  for (const item of next) {
    const last = runs.at(-1);
    if (last && 'copy' in last && base[last.copy[0] + last.copy[1]] === item) {
      last.copy[1]++;
      continue;
    }
    const from = firstIndex.get(item);
    if (from !== undefined) runs.push({ copy: [from, 1] });
    else if (last && 'add' in last) last.add.push(item);
    else runs.push({ add: [item] });
  }
  return runs;
}

function isWholeCopy(runs: readonly Run[], baseLength: number): boolean {
  if (runs.length === 0) return baseLength === 0;
  const only = runs[0];
  return (
    runs.length === 1 &&
    only !== undefined &&
    'copy' in only &&
    only.copy[0] === 0 &&
    only.copy[1] === baseLength
  );
}

function applyRuns(base: readonly string[], runs: readonly Run[]): string[] {
  return runs.flatMap((run) => {
    if ('add' in run) return run.add;
    const [from, count] = run.copy;
    if (from + count > base.length) {
      throw new RangeError(`it copies items ${from}..${from + count - 1} of a list of ${base.length}`);
    }
    return base.slice(from, from + count);
  });
}
