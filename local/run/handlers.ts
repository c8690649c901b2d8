/**
 * The workflow's Lambda handlers, loaded in this process and called the way Lambda calls them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKFLOW_TASKS } from '../../infra/workflow-placeholders';
import { AmtsError } from '../../lambdas/core/errors';
import { REPO_ROOT } from './repo';

export type Handler = (event: unknown, context?: unknown) => Promise<unknown>;

/** Step Functions limits a payload (state input/output) to 256 KiB; Lambda results are checked here too. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

/** `lambdas/<dir>/handler.ts`'s handler. */
export async function loadHandler(dir: string): Promise<Handler> {
  const file = join(REPO_ROOT, 'lambdas', dir, 'handler.ts');
  const mod = (await import(pathToFileURL(file).href)) as { handler: Handler };
  return mod.handler;
}

/** Loads every Task's handler (`lambdas/<dir>/handler.ts`) by state name; lists all missing ones at once. */
export async function loadWorkflowHandlers(): Promise<Map<string, Handler>> {
  const missing: string[] = [];
  const handlers = new Map<string, Handler>();
  for (const task of WORKFLOW_TASKS) {
    const file = join(REPO_ROOT, 'lambdas', task.dir, 'handler.ts');
    if (!existsSync(file)) {
      missing.push(`lambdas/${task.dir}/handler.ts (Task "${task.state}")`);
      continue;
    }
    const mod = (await import(pathToFileURL(file).href)) as { handler?: Handler };
    if (typeof mod.handler !== 'function') {
      missing.push(`lambdas/${task.dir}/handler.ts exports no handler (Task "${task.state}")`);
      continue;
    }
    handlers.set(task.state, mod.handler);
  }
  if (missing.length) {
    throw new AmtsError(`the workflow cannot run locally: missing handlers:\n  ${missing.join('\n  ')}`);
  }
  return handlers;
}

/**
 * Calls a handler the way Lambda does: the event is a JSON copy, the result must be JSON (and fit
 * the 256 KiB state payload), and an error reaches Step Functions with its `name` as the error and
 * Lambda's JSON `{ errorType, errorMessage, trace }` as the cause.
 */
export async function invokeLikeLambda(dir: string, handler: Handler, event: unknown): Promise<unknown> {
  const context = {
    functionName: `amts-local-${dir}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:amts-local-${dir}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomBytes(16).toString('hex'),
    logGroupName: `/aws/lambda/amts-local-${dir}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  let result: unknown;
  try {
    result = await handler(JSON.parse(JSON.stringify(event ?? null)), context);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const wrapped = new Error(
      JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }),
    );
    wrapped.name = e.name;
    throw wrapped;
  }
  const text = JSON.stringify(result ?? null);
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    const e = new Error(
      JSON.stringify({
        errorType: 'States.DataLimitExceeded',
        errorMessage: `the ${dir} handler returned ${Buffer.byteLength(text)} bytes; a state payload is limited to 256 KiB`,
      }),
    );
    e.name = 'States.DataLimitExceeded';
    throw e;
  }
  return JSON.parse(text);
}
