/**
 * Types kept beside zod schemas must not drift from them. Where the type is derived (`z.infer`) there is
 * nothing to check; where a hand-written type stays beside a lenient reader's schema, the schema must at
 * least accept it. (The run report's interfaces cannot be compared this way yet: its `.passthrough()`
 * schemas have index signatures no interface is assignable to; test/aws/reports.test.ts parses a
 * written report instead.) These assertions are
 * checked by `npm run typecheck` (tsc covers test/) and by Vitest's expectTypeOf at run time.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { UnitKind } from '../../lambdas/core/markdown/types';
import type { UnitCounts, UnitCountsSchema } from '../../lambdas/core/report';
import type { DocumentState, SyncState, UnitState } from '../../lambdas/core/sync/api';
import type { DocumentStateSchema, SyncStateSchema } from '../../lambdas/core/sync/state';
import type { BatchManifest, BatchManifestSchema } from '../../lambdas/core/workflow/batch';

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
});
