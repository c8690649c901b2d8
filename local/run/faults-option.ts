/**
 * `--faults` (and `LocalEnvironment.start({ faults })`) validated before the emulator starts: a typo or
 * a wrong type is a clear InvalidInputError naming the field, never a fault that fires as something
 * else (`{"documentsFail":"x"}` used to become an InternalServerException on every document).
 * A new fault kind in local/emulator/faults.ts needs its field here too (the schema is strict).
 */
import { z } from 'zod';
import { InvalidInputError } from '../../lambdas/core/errors';
import { formatZodError } from '../../lambdas/core/workflow/input';
import { type EmulatorFaults, OPERATIONS } from '../emulator';

const OperationSchema = z.enum(OPERATIONS);

const InjectedErrorSchema = z
  .object({
    operation: z.union([OperationSchema, z.array(OperationSchema).min(1)]).optional(),
    type: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be an exception name, e.g. ThrottlingException'),
    count: z.number().int().min(0).max(1_000_000),
    message: z.string().optional(),
    status: z.number().int().min(400).max(599).optional(),
  })
  .strict();

const FaultsSchema = z
  .object({
    errors: z.array(InjectedErrorSchema).optional(),
    parallelDataImportFails: z.union([z.boolean(), z.string().min(1)]).optional(),
    jobFails: z.union([z.boolean(), z.string().min(1)]).optional(),
    documentsFail: z.array(z.string().min(1, 'must not be empty (it would match every document)')).optional(),
    jobStops: z.boolean().optional(),
  })
  .strict();

/** The accepted fields, for the error message. */
const FIELDS =
  'errors ([{operation?, type, count, message?, status?}]), parallelDataImportFails (boolean | string), ' +
  'jobFails (boolean | string), documentsFail (array of strings), jobStops (boolean)';

/**
 * `value` as emulator faults.
 * @throws InvalidInputError naming every problem, e.g. `--faults.documentsFail: Expected array, received string`.
 */
export function parseFaults(value: unknown, where = '--faults'): EmulatorFaults {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(
      `${where}: expected a JSON object, e.g. {"jobFails":true} — fields: ${FIELDS}`,
    );
  }
  const result = FaultsSchema.safeParse(value);
  if (!result.success) {
    throw new InvalidInputError(`${formatZodError(result.error, where, value)} — fields: ${FIELDS}`);
  }
  return result.data as EmulatorFaults;
}
