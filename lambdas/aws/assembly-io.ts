/** S3 reads of "Assemble Batch": its documents' inputs and their job output (core/workflow/assembly-files). */
import {
  type AssemblyInput,
  assemblyInputKey,
  keyPrefixOf,
  parseAssemblyArtifact,
} from '../core/workflow/assembly-files';
import type { LanguagePair } from '../core/workflow/names';
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
