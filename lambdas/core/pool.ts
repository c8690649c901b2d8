/**
 * Bounded concurrency for a Task's S3 reads and writes: at most `limit` tasks in flight, items pulled
 * from the iterable only when a slot is free (a generator that renders one document per item keeps at
 * most `limit` of them in memory), results in the iterable's order. After the first failure no new item
 * is pulled (a throwing iterable counts as a failure); the tasks in flight are awaited and the first error is thrown.
 */
export async function mapBounded<T, R>(
  items: Iterable<T>,
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, not ${limit}`);
  const iterator = items[Symbol.iterator]();
  const results: R[] = [];
  let next = 0;
  let failure: { error: unknown } | null = null;
  let exhausted = false;
  const worker = async () => {
    while (!failure && !exhausted) {
      try {
        const step = iterator.next(); // a generator may throw here: that is the first failure too
        if (step.done) {
          exhausted = true;
          return;
        }
        const index = next++;
        results[index] = await task(step.value, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}
