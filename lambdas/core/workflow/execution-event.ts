import { z } from 'zod';
import { InvalidInputError } from '../errors';
import { parseInput } from './input';
import { type LanguagePair, pairId, runIdFor } from './names';

/**
 * The state machine's `TimeoutSeconds` (statemachine/workflow.asl.json; a test keeps them equal): no
 * execution runs longer, so no run lock needs to live longer either.
 */
export const EXECUTION_TIMEOUT_SECONDS = 518_400; // 6 days

/** When the lock of an execution started at `startTime` (ISO 8601) expires: its execution timeout. */
export function lockExpiry(startTime: string): string {
  const t = Date.parse(startTime);
  if (Number.isNaN(t))
    throw new InvalidInputError(`execution start time "${startTime}" is not an ISO 8601 timestamp`);
  return new Date(t + EXECUTION_TIMEOUT_SECONDS * 1000).toISOString();
}

/**
 * The Step Functions "Execution Status Change" event EventBridge delivers (the fields the lock release
 * needs): https://docs.aws.amazon.com/step-functions/latest/dg/eventbridge-integration.html
 */
export const ExecutionStatusChangeSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().min(1),
    stateMachineArn: z.string().min(1),
    name: z.string().min(1).max(80),
    status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
    /** Epoch milliseconds. */
    startDate: z.number().int().nonnegative(),
  }),
});
export type ExecutionStatusChange = z.infer<typeof ExecutionStatusChangeSchema>;

/** Statuses after which the execution can hold no lock any more. */
const ENDED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * The run whose lock an "execution ended" event releases: the run id Plan derived from the same
 * execution (`runIdFor({ name, startTime })`), or null when the event is not about an ended execution.
 * The state machine must be the pair's (`…:stateMachine:amts-<src>-<tgt>`): an event of another pair's
 * machine is refused, never acted on.
 */
export function endedRun(
  event: unknown,
  pair: LanguagePair,
): { runId: string; status: string; executionArn: string } | null {
  const e = parseInput(ExecutionStatusChangeSchema, event, 'event');
  const machine = e.detail.stateMachineArn.split(':').pop();
  if (machine !== `amts-${pairId(pair)}`) {
    throw new InvalidInputError(
      `event.detail.stateMachineArn: ${e.detail.stateMachineArn} is not the ${pairId(pair)} state machine (amts-${pairId(pair)})`,
    );
  }
  if (!ENDED.has(e.detail.status)) return null;
  const runId = runIdFor({ name: e.detail.name, startTime: new Date(e.detail.startDate).toISOString() });
  return { runId, status: e.detail.status, executionArn: e.detail.executionArn };
}
