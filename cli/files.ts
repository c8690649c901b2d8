import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Every `.md` file under `root`, as POSIX paths relative to it, sorted. Hidden entries (`.amts/`,
 * `.git/`) are skipped; a missing root gives an empty list.
 */
export function markdownFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md'))
        out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}
