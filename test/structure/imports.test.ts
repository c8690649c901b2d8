import { describe, expect, it } from 'vitest';
import { cyclePath, importCycles, importGraph, importSpecifiers, sourceFiles } from './import-graph';

describe('importSpecifiers()', () => {
  it('finds value, type-only, re-export, import() call and import() type references', () => {
    const code = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "export { c } from './c';",
      "export type { D } from './d';",
      "export * from './e';",
      "const f = await import('./f');",
      "type G = import('./g').G;",
      "import h = require('./h');",
      "import 'node:fs';",
    ].join('\n');
    expect(importSpecifiers(code)).toEqual([
      './a',
      './b',
      './c',
      './d',
      './e',
      './f',
      './g',
      './h',
      'node:fs',
    ]);
  });
});

describe('importCycles()', () => {
  const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

  it.each([
    ['a chain', { a: ['b'], b: ['c'], c: [] }, []],
    ['a diamond', { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, []],
    ['two files importing each other', { a: ['b'], b: ['a'] }, [['a', 'b']]],
    ['a file importing itself', { a: ['a'] }, [['a']]],
    ['a long loop beside a tree', { a: ['b'], b: ['c'], c: ['a', 'd'], d: [] }, [['a', 'b', 'c']]],
  ])('reports %s', (_name, edges, expected) => {
    expect(importCycles(graph(edges))).toEqual(expected);
  });

  it('names one concrete path around a cycle', () => {
    const g = graph({ a: ['b'], b: ['c'], c: ['a'] });
    expect(cyclePath(g, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'a']);
  });
});

// docs/architecture.md "Layout": core is pure and below the handlers; a cycle hides which side depends on which.
describe('the import graph of lambdas/, local/, cli/ and infra/', () => {
  const graph = importGraph(sourceFiles(['lambdas', 'local', 'cli', 'infra']));

  it('has no import cycle, type-only imports included', () => {
    const cycles = importCycles(graph).map(
      (component) =>
        `${cyclePath(graph, component).join(' → ')} (${component.length} files: ${component.join(', ')})`,
    );
    expect(cycles).toEqual([]);
  });

  it('has no handler importing another Task folder (shared code lives in lambdas/core or lambdas/aws)', () => {
    const taskOf = (file: string): string | undefined => {
      const [root, folder] = file.split('/');
      return root === 'lambdas' && folder !== 'core' && folder !== 'aws' && file.split('/').length > 2
        ? folder
        : undefined;
    };
    const crossings = [...graph].flatMap(([from, targets]) =>
      targets
        .filter((to) => taskOf(to) !== undefined && taskOf(from) !== undefined && taskOf(to) !== taskOf(from))
        .map((to) => `${from} → ${to}`),
    );
    expect(crossings).toEqual([]);
  });

  it('has no lambdas/ file importing local/, cli/ or infra/', () => {
    const outward = [...graph].flatMap(([from, targets]) =>
      from.startsWith('lambdas/')
        ? targets.filter((to) => !to.startsWith('lambdas/')).map((to) => `${from} → ${to}`)
        : [],
    );
    expect(outward).toEqual([]);
  });
});
