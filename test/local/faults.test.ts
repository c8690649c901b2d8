import { describe, expect, it } from 'vitest';
import { parseFaults } from '../../local/run/faults-option';

describe('emulator faults are validated before the emulator starts', () => {
  it.each([
    [{}],
    [{ jobFails: true }],
    [{ jobFails: 'the service could not read the input' }],
    [{ documentsFail: ['rcnn', 'nin'] }],
    [{ parallelDataImportFails: 'line 7: bad' }],
    [{ jobStops: true }],
    [{ errors: [{ operation: 'StartTextTranslationJob', type: 'ThrottlingException', count: 3 }] }],
    [
      {
        errors: [{ operation: ['GetParallelData'], type: 'TooManyRequestsException', count: 1, status: 429 }],
      },
    ],
  ])('accepts %j as is', (faults) => {
    expect(parseFaults(faults)).toEqual(faults);
  });

  it.each([
    [{ documentsFail: 'x' }, /--faults\.documentsFail: Expected array, received string/],
    [{ documentsFail: [''] }, /--faults\.documentsFail\[0\]: must not be empty/],
    [{ documentsFail: [3] }, /--faults\.documentsFail\[0\]: Expected string/],
    [{ jobFails: 1 }, /--faults\.jobFails/],
    [{ jobStops: 'yes' }, /--faults\.jobStops: Expected boolean/],
    [{ jobsFail: true }, /Unrecognized key.*'jobsFail'/],
    [{ errors: {} }, /--faults\.errors: Expected array/],
    [{ errors: [{ type: 'ThrottlingException' }] }, /--faults\.errors\[0\]\.count: Required/],
    [
      { errors: [{ type: 'Throttling Exception', count: 1 }] },
      /errors\[0\]\.type: must be an exception name/,
    ],
    [{ errors: [{ operation: 'Translate', type: 'X', count: 1 }] }, /errors\[0\]\.operation/],
    [{ errors: [{ type: 'X', count: -1 }] }, /errors\[0\]\.count: Number must be greater than or equal to 0/],
    [{ errors: [{ type: 'X', count: 1, status: 200 }] }, /errors\[0\]\.status/],
    [['jobFails'], /expected a JSON object/],
    [null, /expected a JSON object/],
    ['jobFails', /expected a JSON object/],
  ])('rejects %j with a clear InvalidInputError', (faults, message) => {
    expect(() => parseFaults(faults)).toThrow(message);
    try {
      parseFaults(faults);
    } catch (error) {
      expect((error as Error).name).toBe('InvalidInputError');
      expect((error as Error).message).toMatch(/fields: errors/);
    }
  });
});
