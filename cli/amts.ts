#!/usr/bin/env node
/**
 * `amts` — the command line. Each subcommand lives in `cli/commands/<name>.ts` and exports
 * `command: Command`; this file only finds it, runs it and turns errors into exit codes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import '../local/polyfills';
import { AmtsError } from '../lambdas/core/errors';
import { type CliIo, type Command, EXIT, UsageError } from './io';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

function commandNames(): string[] {
  if (!existsSync(commandsDir)) return [];
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<Command | undefined> {
  if (!/^[a-z][a-z-]*$/.test(name)) return undefined;
  const file = join(commandsDir, `${name}.ts`);
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { command?: Command };
  return mod.command;
}

async function help(io: CliIo): Promise<void> {
  io.out('usage: amts <command> [options]\n\ncommands:\n');
  for (const name of commandNames()) {
    const cmd = await loadCommand(name);
    if (cmd) io.out(`  ${name.padEnd(10)} ${cmd.summary}\n`);
  }
  io.out('\n`amts <command> --help` shows the options of one command.\n');
}

/** Runs the CLI with the given arguments (without `node script`) and returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    await help(io);
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = await loadCommand(name);
  if (!cmd) {
    io.err(`amts: unknown command '${name}'. Commands: ${commandNames().join(', ')}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${cmd.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`amts ${name}: ${error.message}\n\n${cmd.usage}\n`);
      return EXIT.usage;
    }
    if (error instanceof AmtsError) {
      io.err(`amts ${name}: ${error.name}: ${error.message}\n`);
      return EXIT.failed;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`amts ${name}: ${error.message}\n\n${cmd.usage}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

const isEntry = process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url;
if (isEntry) {
  const io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `amts: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT.failed;
    },
  );
}
