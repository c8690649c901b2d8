import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WORKFLOW_TASKS } from '../../infra/workflow-placeholders';

const root = join(import.meta.dirname, '..', '..');

/**
 * The handlers as Lambda runs them: bundled like NodejsFunction does (minified CommonJS, AWS SDK
 * external), loaded as CommonJS — an ESM-only dependency or `import.meta` that does not survive the
 * CJS bundle shows up here, not at deploy time.
 */
describe('Lambda bundles', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(WORKFLOW_TASKS.map((t) => t.dir))(
    'lambdas/%s bundles to CommonJS that exports handler()',
    async (dir) => {
      const result = await esbuild.build({
        entryPoints: [join(root, 'lambdas', dir, 'handler.ts')],
        bundle: true,
        minify: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        external: ['@aws-sdk/*'],
        write: false,
        logLevel: 'silent',
      });
      expect(result.warnings.map((w) => w.text)).toEqual([]);
      const code = result.outputFiles[0]?.text ?? '';
      vi.stubEnv('AMTS_BUCKET', 'bundle-test');
      vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT'); // the bundle's logger reads it at load
      const module = { exports: {} as Record<string, unknown> };
      const require = createRequire(join(root, 'package.json'));
      new Function('module', 'exports', 'require', code)(module, module.exports, require);
      expect(typeof module.exports.handler).toBe('function');
      // A bad event is refused with the workflow's named error, from inside the bundle.
      const handler = module.exports.handler as (e: unknown) => Promise<unknown>;
      await expect(handler({ not: 'an event' })).rejects.toMatchObject({ name: 'InvalidInputError' });
    },
  );
});
