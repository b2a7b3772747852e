import { type Document, isMap, type Node, Pair, type Scalar, type YAMLMap } from 'yaml';

/**
 * Sets `path` in a config.yaml document, keeping its comments. A key new to its map goes right under its
 * commented-out example (a comment line `# key:`, as the template has for `providers:` and `models:`),
 * taking the comment paragraphs down to that example with it; a key with no example goes last.
 */
export function setInConfig(doc: Document, path: readonly string[], value: unknown): void {
  doc.contents ??= doc.createNode({});
  let map: unknown = doc.contents;
  let depth = 0;
  for (; depth < path.length - 1; depth++) {
    const next = isMap(map) ? map.get(path[depth], true) : undefined;
    if (!isMap(next)) break;
    map = next;
  }
  if (!isMap(map)) throw new Error(`config.yaml: ${path.slice(0, depth).join('.')} is not a mapping`);
  const [key, ...rest] = path.slice(depth) as [string, ...string[]];
  const node = doc.createNode(rest.reduceRight<unknown>((inner, name) => ({ [name]: inner }), value));
  if (map.has(key)) map.set(key, node);
  else insertUnderExample(doc, map, new Pair(doc.createNode(key), node));
}

/** The document's text; long strings stay on one line, as people write them. */
export function configText(doc: Document): string {
  return doc.toString({ lineWidth: 0 });
}

function insertUnderExample(doc: Document, map: YAMLMap, pair: Pair<Scalar, Node>): void {
  const example = new RegExp(`^ ?${(pair.key.value as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`, 'm');
  for (const [index, sibling] of map.items.entries()) {
    const siblingKey = sibling.key as Scalar;
    const split = splitAtExample(siblingKey.commentBefore, example);
    if (!split) continue;
    pair.key.commentBefore = split.taken;
    pair.key.spaceBefore = siblingKey.spaceBefore;
    siblingKey.commentBefore = split.kept;
    siblingKey.spaceBefore = true;
    map.items.splice(index, 0, pair);
    return;
  }
  // comments after a map's last key belong to the map, or to the document for the top-level map
  const trailing = map === doc.contents ? doc : map;
  const split = splitAtExample(trailing.comment, example);
  if (split) {
    pair.key.commentBefore = split.taken;
    pair.key.spaceBefore = map === doc.contents;
    trailing.comment = split.kept;
  }
  map.items.push(pair);
}

/** Comment paragraphs (blank-line separated) up to and including the one holding the example, and the rest. */
function splitAtExample(
  comment: string | null | undefined,
  example: RegExp,
): { taken: string; kept: string | undefined } | undefined {
  const paragraphs = comment?.split(/\n(?:[ \t]*\n)+/) ?? [];
  const at = paragraphs.findIndex((paragraph) => example.test(paragraph));
  if (at < 0) return undefined;
  const kept = paragraphs.slice(at + 1).join('\n\n');
  return { taken: paragraphs.slice(0, at + 1).join('\n\n'), kept: kept || undefined };
}
