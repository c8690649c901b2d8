/**
 * Types kept beside zod schemas must not drift from them. Where the type is derived (`z.infer`) there is
 * nothing to check; where a hand-written type stays beside a lenient reader's schema, the schema must at
 * least accept it. The run report's types are derived from its schema (a writer's type is the schema's
 * input, a reader's its output). These assertions are
 * checked by `npm run typecheck` (tsc covers test/) and by Vitest's expectTypeOf at run time.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { UnitKind } from '../../lambdas/core/markdown/types';
import type {
  DocumentReport,
  DocumentReportSchema,
  ParsedRunReport,
  RunReport,
  RunReportSchema,
  UnitCounts,
  UnitCountsSchema,
} from '../../lambdas/core/report';
import type { DocumentState, SyncState, UnitState } from '../../lambdas/core/sync/api';
import type { DocumentStateSchema, SyncStateSchema } from '../../lambdas/core/sync/state';
import type { BatchManifest, BatchManifestSchema } from '../../lambdas/core/workflow/batch';
import type { ExecutionOutcome } from '../../local/run/execution';

/** `true` when every value of type `T` is a valid input of a schema whose input type is `I`. */
type Accepts<I, T> = [T] extends [I] ? true : false;

describe('types and their schemas', () => {
  it('derives the sync state types from the sync state schema', () => {
    expectTypeOf<SyncState>().toEqualTypeOf<z.infer<typeof SyncStateSchema>>();
    expectTypeOf<DocumentState>().toEqualTypeOf<z.infer<typeof DocumentStateSchema>>();
  });

  it('stores the same unit kinds the codec produces', () => {
    expectTypeOf<NonNullable<UnitState['kind']>>().toEqualTypeOf<UnitKind>();
  });

  it('derives the batch manifest type from its schema', () => {
    expectTypeOf<BatchManifest>().toEqualTypeOf<z.infer<typeof BatchManifestSchema>>();
  });

  it('counts units in reports the report schema accepts', () => {
    expectTypeOf<Accepts<z.input<typeof UnitCountsSchema>, UnitCounts>>().toEqualTypeOf<true>();
  });

  it('derives the run report types from the report schema: writers build its input, readers get its output', () => {
    expectTypeOf<RunReport>().toEqualTypeOf<z.input<typeof RunReportSchema>>();
    expectTypeOf<DocumentReport>().toEqualTypeOf<z.input<typeof DocumentReportSchema>>();
    expectTypeOf<ParsedRunReport>().toEqualTypeOf<z.infer<typeof RunReportSchema>>();
    // The local runner hands out the report as the schema read it, not as a cast said it was.
    expectTypeOf<ExecutionOutcome['report']>().toEqualTypeOf<ParsedRunReport | null>();
  });
});
