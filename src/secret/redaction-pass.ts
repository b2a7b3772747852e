import {
  credentialPatternReach,
  credentialPatternShortest,
  credentialPatterns,
} from './credential-patterns.js';

/** One regex that finds what to redact, and the marker that replaces each match. */
export interface RedactionPass {
  /** A global regex; whoever runs it sets `lastIndex` first. */
  pattern: RegExp;
  /** A match and the text the regex reads past it fit in this many characters from the match's start. */
  reach: number;
  /** No match is shorter than this many characters. */
  shortest: number;
  marker(match: RegExpExecArray): string;
}

function markerFor(name: string): string {
  return `[REDACTED:${name}]`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Matches registered values exactly, longest first, so a value that contains another is replaced whole.
 * `names` maps each value to the name its marker shows. Undefined when there is nothing to match.
 */
export function registeredValuesPass(names: ReadonlyMap<string, string>): RedactionPass | undefined {
  if (names.size === 0) return undefined;
  const values = [...names.keys()].sort((a, b) => b.length - a.length);
  return {
    pattern: new RegExp(values.map(escapeRegex).join('|'), 'g'),
    reach: values[0]?.length ?? 0,
    shortest: values.at(-1)?.length ?? 0,
    marker: (match) => markerFor(names.get(match[0]) ?? 'secret'),
  };
}

// Named groups must be unique in one regex, so each shape's groups get its index as a suffix.
const shapeAlternatives = credentialPatterns.map(
  (shape, i) => `(?<shape${i}>${shape.source.replace('(?<keep>', `(?<keep${i}>`)})`,
);

export const credentialShapesPass: RedactionPass = {
  pattern: new RegExp(shapeAlternatives.join('|'), 'g'),
  reach: credentialPatternReach,
  shortest: credentialPatternShortest,
  marker(match) {
    const groups = match.groups ?? {};
    const index = credentialPatterns.findIndex((_, i) => groups[`shape${i}`] !== undefined);
    return `${groups[`keep${index}`] ?? ''}${markerFor(credentialPatterns[index]?.name ?? 'secret')}`;
  },
};

/**
 * Redacts `text` from `start` up to `limit`. A match that starts before `limit` but ends after it is not
 * cut in half: redaction stops at its start, which is returned as `end` for the caller to resume from.
 * Text before `start` is only read, as context for `\b`.
 */
export function redactRange(
  pass: RedactionPass,
  text: string,
  start: number,
  limit: number,
): { redacted: string; end: number } {
  const out: string[] = [];
  let position = start;
  pass.pattern.lastIndex = start;
  for (let match = pass.pattern.exec(text); match && match.index < limit; match = pass.pattern.exec(text)) {
    const matchEnd = match.index + match[0].length;
    if (matchEnd > limit) {
      out.push(text.slice(position, match.index));
      return { redacted: out.join(''), end: match.index };
    }
    out.push(text.slice(position, match.index), pass.marker(match));
    position = matchEnd;
  }
  out.push(text.slice(position, limit));
  return { redacted: out.join(''), end: limit };
}

export function redactWhole(pass: RedactionPass | undefined, text: string): string {
  // Most text has nothing to redact: answer that without building a copy, and without a scan when the
  // text is too short to hold a match.
  if (!pass || text.length < pass.shortest) return text;
  pass.pattern.lastIndex = 0;
  if (!pass.pattern.test(text)) return text;
  return redactRange(pass, text, 0, text.length).redacted;
}
