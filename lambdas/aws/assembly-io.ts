/**
 * S3 reads of "Assemble Batch": its documents' inputs and their job output (core/workflow/assembly-files),
 * and the written documents' objects read again to record them as settled (core/workflow/settle).
 */
import { decodeMarkdown } from '../core/markdown';
import { mapBounded } from '../core/pool';
import type { SettledDocument } from '../core/sync/changes';
import { DEFAULT_ORIGIN_PATTERN, originPathOf } from '../core/sync/reference';
import type { DocumentState } from '../core/sync/types';
import {
  type AssemblyInput,
  assemblyInputKey,
  keyPrefixOf,
  parseAssemblyArtifact,
} from '../core/workflow/assembly-files';
import type { LanguagePair } from '../core/workflow/names';
import { type ReadObject, settledAfterWrite } from '../core/workflow/settle';
import type { Services } from './services';

const FIELDS = ['plan', 'snapshot', 'planned', 'run'];

/** The inputs Prepare Batch wrote for these items, parsed. */
export async function readAssemblyInputs(
  svc: Services,
  pair: LanguagePair,
  runId: string,
  items: readonly { index: number }[],
): Promise<AssemblyInput[]> {
  const inputs: AssemblyInput[] = [];
  for (const { index } of items) {
    const key = assemblyInputKey(pair, runId, index);
    inputs.push(parseAssemblyArtifact(await svc.bucket.getJson(key), svc.bucket.uri(key), runId, FIELDS));
  }
  return inputs;
}

/** A document's job output (Translate writes `<output prefix><tgt>.<input file>`); null when none came back. */
export async function jobOutput(
  svc: Services,
  target: string,
  uri: string | undefined,
  file: string | undefined,
): Promise<string | null> {
  return uri && file ? svc.bucket.getText(`${keyPrefixOf(uri, svc.bucket.name)}${target}.${file}`) : null;
}

/** A Markdown object with the stamp a listing shows (ETag, size); `null` when missing or unreadable. */
async function readStamped(svc: Services, key: string): Promise<ReadObject | null> {
  const got = await svc.bucket.getWithEtag(key);
  if (got === null || !got.etag) return null;
  try {
    return { text: decodeMarkdown(got.bytes, key), stamp: { etag: got.etag, size: got.bytes.length } };
  } catch {
    return null; // not UTF-8: the next Plan reads it and says so
  }
}

/**
 * What the next Plan would record of each document this batch wrote (`paths`; one without a state to
 * commit is skipped) (core/workflow/settle.ts): its four objects read again, planned against the state
 * this run commits; documents it would plan again are left out.
 */
export async function settleWritten(
  svc: Services,
  pair: LanguagePair,
  paths: readonly string[],
  states: Readonly<Record<string, DocumentState | null>>,
  options: { sentenceLevel?: boolean | undefined; retranslateFuzzy?: boolean | undefined },
): Promise<Record<string, SettledDocument>> {
  const pattern = process.env.AMTS_ORIGIN_PATTERN || DEFAULT_ORIGIN_PATTERN;
  const settled: Record<string, SettledDocument> = {};
  const written = paths.flatMap((path) => {
    const state = states[path];
    return state ? [{ path, state }] : [];
  });
  await mapBounded(written, 4, async ({ path, state }) => {
    const [source, translated, reference, origin] = await Promise.all([
      readStamped(svc, `source/${pair.source}/${path}`),
      readStamped(svc, `translated/${pair.target}/${path}`),
      readStamped(svc, `reference/${pair.target}/${path}`),
      readStamped(svc, `reference/${pair.target}/${originPathOf(path, pattern)}`),
    ]);
    const objects = { source, translated, reference, origin };
    const record = settledAfterWrite({ pair, path, objects, state, options });
    if (record) settled[path] = record;
  });
  return settled;
}
