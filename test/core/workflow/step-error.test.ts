import { describe, expect, it } from 'vitest';
import { causeMessage, describeError } from '../../../lambdas/core/workflow/step-error';

describe('causeMessage()', () => {
  it.each([
    ['a Lambda cause', '{"errorType":"E","errorMessage":"boom"}', 'boom'],
    ['a plain message', 'plain text', 'plain text'],
    ['JSON without errorMessage', '{"x":1}', '{"x":1}'],
    ['JSON whose errorMessage is not a string', '{"errorMessage":3}', '{"errorMessage":3}'],
    ['JSON null', 'null', 'null'],
    ['a JSON number', '42', '42'],
    ['a non-string', { a: 1 }, '{"a":1}'],
    ['nothing', undefined, ''],
  ])('reads %s', (_what, cause, message) => {
    expect(causeMessage(cause)).toBe(message);
  });
});

describe('describeError()', () => {
  it.each([
    [
      'a Task failure (Lambda error JSON)',
      { Error: 'X', Cause: '{"errorType":"X","errorMessage":"m"}' },
      'm',
    ],
    [
      'a States.* error with a plain-text cause',
      { Error: 'States.Timeout', Cause: 'took too long' },
      'took too long',
    ],
    ['an error without a cause', { Error: 'States.Runtime' }, 'States.Runtime'],
    ['an error with an empty cause', { Error: 'States.Runtime', Cause: '' }, 'States.Runtime'],
  ])('reads %s', (_what, error, message) => {
    expect(describeError(error)).toEqual({ name: error.Error, message });
  });
});
