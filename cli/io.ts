import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../lambdas/core/errors';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** A CLI subcommand: `cli/commands/<name>.ts` exports one of these as `command`. */
export interface Command {
  /** One line for `amts help`. */
  summary: string;
  /** Usage text printed on `--help` and on usage errors. */
  usage: string;
  /** Returns the process exit code: 0 ok, 1 failed, 2 usage error, 3 protected content damaged. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, damaged: 3 } as const;

/** Thrown by commands for bad arguments; the dispatcher prints the message and the usage, exit 2. */
export class UsageError extends InvalidInputError {
  override name = 'UsageError';
}

/** Reads a file as raw bytes, turning "not found" and "is a directory" into clear messages. */
export function readInputFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${path}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`${path}: is a directory, expected a file`);
    throw new InvalidInputError(`${path}: cannot read (${code ?? String(error)})`, { cause: error });
  }
}
