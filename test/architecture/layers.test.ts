import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/** DESIGN.md's module list, top to bottom: a module may import only modules above it. */
const layers = [
  'core',
  'storage',
  'secret',
  'session',
  'artifact',
  'identity',
  'registry',
  'llm',
  'skill',
  'memory',
  'compress',
  'context',
  'safety',
  'policy',
  'tools',
  'metagovernor',
  'brain',
  'runtime',
  'a2a',
  'diagnostics',
  'controlplane',
  'cli',
];

const srcRoot = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const importPattern =
  /(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function relativeImports(source: string): string[] {
  return [...source.matchAll(importPattern)].map((match) => (match[1] ?? match[2]) as string);
}

function moduleOf(path: string): string {
  return relative(srcRoot, path).split(sep)[0] as string;
}

interface Violation {
  file: string;
  specifier: string;
  problem: string;
}

function findViolations(files: { file: string; source: string }[]): Violation[] {
  const violations: Violation[] = [];
  for (const { file, source } of files) {
    const from = moduleOf(file);
    for (const specifier of relativeImports(source)) {
      const target = resolve(dirname(file), specifier);
      const to = moduleOf(target);
      if (to === from) continue;
      const where = { file: relative(srcRoot, file), specifier };
      if (relative(join(srcRoot, to), target) !== 'index.js') {
        violations.push({ ...where, problem: `reaches into ${to}/ internals instead of ${to}/index.js` });
      }
      if (!layers.includes(from) || !layers.includes(to)) {
        violations.push({
          ...where,
          problem: `module ${!layers.includes(from) ? from : to} is not in DESIGN.md's list`,
        });
      } else if (layers.indexOf(to) >= layers.indexOf(from)) {
        violations.push({ ...where, problem: `${from} may not depend on ${to}, which is below it` });
      }
    }
  }
  return violations;
}

describe('module boundaries', () => {
  it('every import of another module goes through its index.ts and points up the layer list', () => {
    const files = sourceFiles(srcRoot).map((file) => ({ file, source: readFileSync(file, 'utf8') }));
    expect(files.length).toBeGreaterThan(5);
    expect(findViolations(files)).toEqual([]);
  });

  it('reports an import of internals and a dependency pointing down the list', () => {
    const file = join(srcRoot, 'session', 'example.ts');
    const source = [
      "import { openDatabase } from '../storage/database.js';",
      "import type { Provider } from '../llm/index.js';",
      "import { newId } from '../core/index.js';",
      "const lazy = await import('../cli/index.js');",
    ].join('\n');
    expect(findViolations([{ file, source }]).map((v) => v.problem)).toEqual([
      'reaches into storage/ internals instead of storage/index.js',
      'session may not depend on llm, which is below it',
      'session may not depend on cli, which is below it',
    ]);
  });
});
