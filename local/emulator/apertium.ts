/**
 * Apertium (rule-based machine translation, Debian packages `apertium` + `apertium-eng-spa`, …) as the
 * Translate emulator's local engine for the sentences the parallel data does not match. One `apertium`
 * process per call, whatever the number of fragments: its start (loading the transducers) costs far more
 * than the text. The HTML format mode (`-f html`) keeps tags as they are and moves them with the words;
 * `-u` leaves unknown words unmarked (no `*`). Apertium does NOT honour `translate="no"`, so callers
 * (emulated-translation.ts) replace those spans with empty placeholder elements before and restore them
 * after, as Amazon Translate leaves them alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A local machine translator of HTML fragments (inline content; tags kept). */
export interface HtmlTranslator {
  /** What translates, for summaries: `apertium eng-spa`. */
  readonly name: string;
  /**
   * The fragments translated, in order; one process for all of them. A fragment the engine lost is
   * `undefined` (the caller keeps it untranslated); a failed engine rejects.
   */
  translate(fragments: readonly string[]): Promise<(string | undefined)[]>;
}

/** Apertium mode names for a language pair, the Apertium 3-letter ones first (`eng-spa`, then `en-es`). */
const CODES: Record<string, string[]> = {
  en: ['eng', 'en'],
  es: ['spa', 'es'],
  ca: ['cat', 'ca'],
  gl: ['glg', 'gl'],
  pt: ['por', 'pt'],
  fr: ['fra', 'fr'],
  it: ['ita', 'it'],
};

let installedModes: string[] | null | undefined;

/** Modes `apertium -l` lists; null when Apertium is not installed. Asked once per process. */
export function apertiumModes(): string[] | null {
  if (installedModes !== undefined) return installedModes;
  const r = spawnSync('apertium', ['-l'], { encoding: 'utf8', timeout: 10_000 });
  installedModes =
    r.status === 0
      ? r.stdout
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : null;
  return installedModes;
}

/** The installed Apertium mode for `source`→`target` (`en`,`es` → `eng-spa`), or why there is none. */
export function apertiumModeFor(source: string, target: string): { mode: string } | { missing: string } {
  const modes = apertiumModes();
  if (modes === null) return { missing: 'Apertium is not installed (Debian: apt-get install apertium)' };
  const base = (code: string) => code.toLowerCase().split('-')[0] as string;
  for (const s of CODES[base(source)] ?? [base(source)]) {
    for (const t of CODES[base(target)] ?? [base(target)]) {
      if (modes.includes(`${s}-${t}`)) return { mode: `${s}-${t}` };
    }
  }
  return {
    missing: `Apertium has no ${source}→${target} pair installed (installed: ${modes.join(', ') || 'none'})`,
  };
}

/** Fragment wrapper: a block element, so Apertium ends a sentence at each fragment's edge. */
const WRAP = /<div id="amts-(\d+)">([\s\S]*?)<\/div>/g;

/** The Apertium translator for a pair, or why there is none. */
export function apertiumTranslator(source: string, target: string): HtmlTranslator | { missing: string } {
  const found = apertiumModeFor(source, target);
  if ('missing' in found) return found;
  const { mode } = found;
  return {
    name: `apertium ${mode}`,
    async translate(fragments) {
      if (fragments.length === 0) return [];
      const input = fragments.map((f, i) => `<div id="amts-${i}">${f}</div>`).join('\n');
      const output = await run(['-u', '-f', 'html', mode], `${input}\n`);
      const out: (string | undefined)[] = new Array(fragments.length).fill(undefined);
      const seen = new Set<number>();
      const twice = new Set<number>();
      for (const m of output.matchAll(WRAP)) {
        const i = Number(m[1]);
        if (seen.has(i)) twice.add(i);
        seen.add(i);
        // Apertium leaves two spaces where it drops or moves a word (`Son un ejemplo  de`).
        if (i < fragments.length) out[i] = (m[2] as string).replace(/(\S) {2,}(?=\S)/g, '$1 ');
      }
      // A wrapper seen twice (never observed) makes both copies untrustworthy.
      for (const i of twice) out[i] = undefined;
      return out;
    },
  };
}

/**
 * Runs `apertium` on `input` given as a FILE: from a pipe, its HTML path (transfuse's tf-extract) fails
 * with "Could not detect input stream format" when stdin is not a terminal-fed stream.
 */
function run(args: string[], input: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'amts-apertium-'));
  const file = join(dir, 'in.html');
  writeFileSync(file, input, 'utf8');
  return new Promise<string>((resolve, reject) => {
    const child = spawn('apertium', [...args, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0 && out.length > 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`apertium ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}
