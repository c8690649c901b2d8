/**
 * The parallel-data resource's identity rules, shared by Build Parallel Data (is the resource up to
 * date?) and Create Or Update Parallel Data (what to write).
 */

/** Description carrying the CSV hash: how Build Parallel Data knows the resource is up to date. */
export function parallelDataDescription(csvHash: string): string {
  return `AMTS parallel data sha256=${csvHash}`;
}

/** Is the resource ACTIVE with exactly this CSV (hash in its description) and no failed/pending update? */
export function isUpToDate(
  props: { Status?: string; LatestUpdateAttemptStatus?: string; Description?: string } | undefined,
  csvHash: string,
): boolean {
  if (props?.Status !== 'ACTIVE') return false;
  if (props.LatestUpdateAttemptStatus && props.LatestUpdateAttemptStatus !== 'ACTIVE') return false;
  return props.Description === parallelDataDescription(csvHash);
}
