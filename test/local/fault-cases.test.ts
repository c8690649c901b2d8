// bench/faults.bench.ts counts faults survived / tried over test/fixtures/fault-cases.ts: the figure means
// something only if that table tries every fault the emulator can inject.
import { describe, expect, it } from 'vitest';
import type { EmulatorFaults } from '../../local/emulator';
import { parseFaults } from '../../local/run/faults-option';
import {
  FAULT_CASES,
  FIRST_RUN_OPERATIONS,
  TERMINAL_ERRORS,
  TRANSIENT_ERRORS,
} from '../fixtures/fault-cases';

/** Every field of EmulatorFaults (a new one fails the type check here until the table tries it). */
const FIELDS: Record<keyof EmulatorFaults, true> = {
  errors: true,
  parallelDataImportFails: true,
  jobFails: true,
  documentsFail: true,
  jobStops: true,
};

describe('the fault table behind "faults survived / tried"', () => {
  it('is valid --faults input, case by case, with unique names', () => {
    for (const c of FAULT_CASES) expect(() => parseFaults(c.faults, c.name)).not.toThrow();
    expect(new Set(FAULT_CASES.map((c) => c.name)).size).toBe(FAULT_CASES.length);
  });

  it.each(Object.keys(FIELDS))('injects the fault field %s', (field) => {
    expect(FAULT_CASES.some((c) => field in c.faults)).toBe(true);
  });

  it('tries every retried error on every operation a first run calls, and more than the retries allow', () => {
    for (const operation of FIRST_RUN_OPERATIONS) {
      for (const type of TRANSIENT_ERRORS) {
        expect(
          FAULT_CASES.some(
            (c) =>
              c.expect === 'recovers' &&
              c.faults.errors?.some((e) => e.operation === operation && e.type === type),
          ),
          `${operation} ${type}`,
        ).toBe(true);
      }
    }
    expect(
      FAULT_CASES.some((c) => c.faults.errors?.some((e) => e.count > 8) && c.expect === 'fails-cleanly'),
    ).toBe(true);
  });

  it('expects every error the state machine does not retry to fail the run cleanly', () => {
    for (const type of TERMINAL_ERRORS) {
      const cases = FAULT_CASES.filter((c) => c.faults.errors?.some((e) => e.type === type));
      expect(cases.length, type).toBeGreaterThan(0);
      expect(cases.every((c) => c.expect === 'fails-cleanly')).toBe(true);
    }
  });
});
