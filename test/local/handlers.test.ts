/** local/run/handlers.ts: a handler called the way Lambda calls it. */
import { describe, expect, it } from 'vitest';
import { causeMessage } from '../../lambdas/core/workflow/step-error';
import { invokeLikeLambda } from '../../local/run/handlers';

describe('invokeLikeLambda()', () => {
  it('passes a JSON copy of the event and returns the JSON result (undefined → null)', async () => {
    const event = { a: 1, nested: { b: [1, 2] } };
    let seen: unknown;
    const result = await invokeLikeLambda(
      'x',
      async (e) => {
        seen = structuredClone(e);
        (e as { a: number }).a = 99;
        return { ok: true, when: new Date(0) };
      },
      event,
    );
    expect(seen).toEqual({ a: 1, nested: { b: [1, 2] } });
    expect(event.a).toBe(1);
    expect(result).toEqual({ ok: true, when: '1970-01-01T00:00:00.000Z' });
    expect(await invokeLikeLambda('x', async () => undefined, {})).toBeNull();
  });

  it('raises the handler error under its name, with the Lambda cause JSON', async () => {
    class ParallelDataFailedError extends Error {
      override name = 'ParallelDataFailedError';
    }
    const error = await invokeLikeLambda(
      'x',
      async () => {
        throw new ParallelDataFailedError('import FAILED: line 3');
      },
      {},
    ).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ParallelDataFailedError');
    expect(JSON.parse((error as Error).message)).toMatchObject({
      errorType: 'ParallelDataFailedError',
      errorMessage: 'import FAILED: line 3',
    });
    expect(causeMessage((error as Error).message)).toBe('import FAILED: line 3');
  });

  it('refuses a result over the 256 KiB state payload limit with States.DataLimitExceeded', async () => {
    const error = await invokeLikeLambda('big', async () => ({ text: 'x'.repeat(300 * 1024) }), {}).catch(
      (e: Error) => e,
    );
    expect((error as Error).name).toBe('States.DataLimitExceeded');
  });
});
