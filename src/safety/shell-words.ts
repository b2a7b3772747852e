/** One simple command of a command line: its words with quotes removed, and where it redirects output. */
export interface SimpleCommand {
  words: string[];
  /** Targets of `>`, `>>`, `&>` and the like. */
  writes: string[];
}

/** Commands joined by `|`: each one's output feeds the next. */
export type Pipeline = SimpleCommand[];

export interface ParsedLine {
  pipelines: Pipeline[];
  /** The text inside `$(…)`, backticks and `<(…)`: command lines of their own. */
  substitutions: string[];
}

/**
 * Splits a shell command line the way sh would, closely enough to see what runs: quotes and backslashes
 * are resolved, `;` `&&` `||` `&` newlines and parentheses separate commands, `|` joins a pipeline.
 * Variables and globs are left as written. It never fails: unbalanced quotes run to the end.
 */
export function parseCommandLine(line: string): ParsedLine {
  const pipelines: Pipeline[] = [];
  const substitutions: string[] = [];
  let pipeline: Pipeline = [];
  let command: SimpleCommand = { words: [], writes: [] };
  let word: string | undefined;
  let redirecting = false;

  const endWord = () => {
    if (word === undefined) return;
    if (redirecting) command.writes.push(word);
    else command.words.push(word);
    word = undefined;
    redirecting = false;
  };
  const endCommand = () => {
    endWord();
    if (command.words.length > 0 || command.writes.length > 0) pipeline.push(command);
    command = { words: [], writes: [] };
  };
  const endPipeline = () => {
    endCommand();
    if (pipeline.length > 0) pipelines.push(pipeline);
    pipeline = [];
  };

  let i = 0;
  while (i < line.length) {
    const char = line[i] as string;
    const next = line[i + 1];
    if (char === '\\') {
      if (next !== '\n' && next !== undefined) word = (word ?? '') + next;
      i += 2;
    } else if (char === "'") {
      const end = closing(line, i + 1, "'");
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (char === '"') {
      const { text, end } = doubleQuoted(line, i + 1, substitutions);
      word = (word ?? '') + text;
      i = end + 1;
    } else if ((char === '$' || char === '<' || char === '>') && next === '(') {
      const end = matchingParen(line, i + 2);
      substitutions.push(line.slice(i + 2, end));
      word = (word ?? '') + line.slice(i, end + 1);
      i = end + 1;
    } else if (char === '`') {
      const end = closing(line, i + 1, '`');
      substitutions.push(line.slice(i + 1, end));
      word = (word ?? '') + line.slice(i, end + 1);
      i = end + 1;
    } else if (char === '#' && word === undefined) {
      i = closing(line, i, '\n');
    } else if (char === ' ' || char === '\t') {
      endWord();
      i++;
    } else if (char === '|' && next !== '|') {
      endCommand();
      i += next === '&' ? 2 : 1;
    } else if (
      char === ';' ||
      char === '&' ||
      char === '|' ||
      char === '\n' ||
      char === '(' ||
      char === ')'
    ) {
      if (char === '&' && next === '>') {
        endWord();
        redirecting = true;
        i += line[i + 2] === '>' ? 3 : 2;
        continue;
      }
      endPipeline();
      i += (char === '&' || char === '|') && next === char ? 2 : 1;
    } else if (char === '>' || char === '<') {
      // `2>file`: the digits before `>` name a descriptor, not a word.
      if (word !== undefined && /^\d+$/.test(word)) word = undefined;
      endWord();
      let end = i + 1;
      while (line[end] === '>' || line[end] === '|') end++;
      if (line[end] === '&') {
        // `>&2` duplicates a descriptor: nothing is written to a file.
        end++;
        while (line[end] !== undefined && /[\d-]/.test(line[end] as string)) end++;
        i = end;
        continue;
      }
      redirecting = char === '>';
      if (char === '<') {
        // The word after `<` is read, not run: drop it.
        i = end;
        while (line[i] === ' ') i++;
        const { end: wordEnd } = plainWord(line, i);
        i = wordEnd;
        continue;
      }
      i = end;
    } else {
      word = (word ?? '') + char;
      i++;
    }
  }
  endPipeline();
  return { pipelines, substitutions };
}

function closing(line: string, from: number, quote: string): number {
  const end = line.indexOf(quote, from);
  return end === -1 ? line.length : end;
}

function matchingParen(line: string, from: number): number {
  let depth = 1;
  for (let i = from; i < line.length; i++) {
    if (line[i] === '(') depth++;
    else if (line[i] === ')' && --depth === 0) return i;
  }
  return line.length;
}

function doubleQuoted(line: string, from: number, substitutions: string[]): { text: string; end: number } {
  let text = '';
  let i = from;
  while (i < line.length && line[i] !== '"') {
    const char = line[i] as string;
    if (char === '\\' && /["\\$`\n]/.test(line[i + 1] ?? '')) {
      if (line[i + 1] !== '\n') text += line[i + 1];
      i += 2;
    } else if (char === '$' && line[i + 1] === '(') {
      const end = matchingParen(line, i + 2);
      substitutions.push(line.slice(i + 2, end));
      text += line.slice(i, end + 1);
      i = end + 1;
    } else if (char === '`') {
      const end = closing(line, i + 1, '`');
      substitutions.push(line.slice(i + 1, end));
      text += line.slice(i, end + 1);
      i = end + 1;
    } else {
      text += char;
      i++;
    }
  }
  return { text, end: i };
}

function plainWord(line: string, from: number): { end: number } {
  let i = from;
  while (i < line.length && !/[\s;&|()<>]/.test(line[i] as string)) i++;
  return { end: i };
}
