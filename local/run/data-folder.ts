import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data folder (by default `<book>/.amts`, inside the book's git working copy) holds the local
 * bucket and emulator state, never part of the book: a `.gitignore` of `*` in it keeps it out of git
 * wherever it is, without touching the book's own `.gitignore`.
 */
export function ignoreDataFolder(data: string): void {
  const file = join(data, '.gitignore');
  if (existsSync(file)) return;
  writeFileSync(
    file,
    '# AMTS local run data (embedded S3 bucket, Translate emulator state): not part of the book.\n# Written by `amts run --local`; delete the folder (or run with --fresh) to start from scratch.\n*\n',
  );
}

/**
 * One runner per data folder at a time: the embedded servers are single-process. A second `amts run`
 * on the same folder waits (two executions inside one runner are serialised by the workflow's own lock).
 */
export async function lockDataFolder(data: string, log: (line: string) => void): Promise<() => void> {
  const file = join(data, 'runner.lock');
  let announced = false;
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (!Number.isInteger(pid) || !isAlive(pid)) {
        rmSync(file, { force: true });
        continue;
      }
      if (!announced) log(`another amts run (pid ${pid}) is using ${data}; waiting for it to finish`);
      announced = true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
