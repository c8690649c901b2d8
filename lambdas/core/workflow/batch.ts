/**
 * Prepare Batch's data: the batch manifest it writes beside the job input, read back by Assemble And
 * Score (docs/architecture.md "S3 layout": `work/<src>-<tgt>/<runId>/batch.json`).
 */

/** One document of the batch: which input file holds it (Translate writes `<tgt>.<file>` back). */
export interface BatchEntry {
  path: string;
  file: string;
  units: number;
  characters: number;
}

/** `work/<pair>/<runId>/batch.json` */
export interface BatchManifest {
  runId: string;
  documents: BatchEntry[];
  /** Documents left out of the job because Translate would reject them (reported failed, sent again next run). */
  skipped?: { path: string; reason: string }[];
}
