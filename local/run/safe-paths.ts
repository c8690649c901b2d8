import { resolve, sep } from 'node:path';
import { InvalidInputError } from '../../lambdas/core/errors';
import { relativeKeyProblem } from '../../lambdas/core/workflow/keys';

/**
 * The local file for `key` under `root` (`root/<key segments>`), after checking the key and that the
 * resolved path stays inside `root` (a second guard, independent of the segment rules).
 * @throws InvalidInputError for an unsafe key.
 */
export function localPathFor(root: string, key: string): string {
  const problem = relativeKeyProblem(key);
  if (problem !== null) throw new InvalidInputError(`bucket key ${JSON.stringify(key)} ${problem}`);
  const base = resolve(root);
  const file = resolve(base, ...key.split('/'));
  if (!file.startsWith(base + sep)) {
    throw new InvalidInputError(`bucket key ${JSON.stringify(key)} resolves outside ${base}`);
  }
  return file;
}
