/**
 * The contract between `statemachine/workflow.asl.json` and whoever runs it (CDK in infra/, the local
 * runner in local/).
 *
 * ${Placeholders} in the ASL file (all must be substituted; test/statemachine checks it):
 *
 *   ${SourceLanguage}                        source language code of the pair, e.g. `en`
 *   ${TargetLanguage}                        target language code of the pair, e.g. `zh`
 *   ${BucketName}                            the book bucket (a Distributed Map's ItemReader reads its items there)
 *   ${PlanFunctionArn}                       Task "Plan"                           → lambdas/plan/handler.ts
 *   ${PlanBatchFunctionArn}                  Task "Plan Batch" (child of the Distributed Map "Plan Documents") → lambdas/plan-batch/handler.ts
 *   ${FinishPlanFunctionArn}                 Task "Finish Plan"                    → lambdas/finish-plan/handler.ts
 *   ${BuildParallelDataFunctionArn}          Task "Build Parallel Data"            → lambdas/build-parallel-data/handler.ts
 *   ${CreateOrUpdateParallelDataFunctionArn} Task "Create Or Update Parallel Data" → lambdas/create-or-update-parallel-data/handler.ts
 *   ${CheckParallelDataFunctionArn}          Task "Check Parallel Data"            → lambdas/check-parallel-data/handler.ts
 *   ${PrepareBatchFunctionArn}               Task "Prepare Batch"                  → lambdas/prepare-batch/handler.ts
 *   ${StartTranslationJobFunctionArn}        Task "Start Translation Job"          → lambdas/start-translation-job/handler.ts
 *   ${CheckTranslationJobFunctionArn}        Task "Check Translation Job"          → lambdas/check-translation-job/handler.ts
 *   ${AssembleBatchFunctionArn}              Task "Assemble Batch" (child of the Distributed Map "Assemble Documents") → lambdas/assemble-batch/handler.ts
 *   ${AssembleAndScoreFunctionArn}           Task "Assemble And Score"             → lambdas/assemble-and-score/handler.ts
 *   ${RecordFailureFunctionArn}              Task "Record Failure"                 → lambdas/record-failure/handler.ts
 *
 * Every Task's `Resource` is the function ARN itself (direct Lambda invocation: the Task result is the
 * handler's return value, no `Payload` envelope). Each handler module exports `handler(event)`.
 * Wait states (durations come from the handlers' `waitSeconds`): "Wait For Earlier Run",
 * "Wait For Parallel Data", "Wait For Translation Job".
 *
 * Environment every handler reads (see lambdas/aws/config.ts): AMTS_BUCKET (required),
 * AMTS_TRANSLATE_ROLE_ARN (Start Translation Job), AMTS_TOPIC_ARN (optional: no notification when
 * unset), endpoints AMTS_S3_ENDPOINT / AMTS_TRANSLATE_ENDPOINT / AMTS_SNS_ENDPOINT (or the standard
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_TRANSLATE / AWS_ENDPOINT_URL_SNS), AMTS_S3_FORCE_PATH_STYLE,
 * AWS_REQUEST_CHECKSUM_CALCULATION / AWS_RESPONSE_CHECKSUM_VALIDATION, AWS_MAX_ATTEMPTS, AWS_REGION.
 *
 * State names are stable: the local runner keys its in-process handlers by them.
 */

/** One Task state of the workflow and the Lambda behind it. */
export interface WorkflowTask {
  /** ASL state name (stable). */
  readonly state: string;
  /** Placeholder (without `${}`) holding the function ARN. */
  readonly placeholder: string;
  /** Folder under lambdas/ (also the construct id suffix); the handler is `lambdas/<dir>/handler.ts`. */
  readonly dir: string;
}

export const WORKFLOW_TASKS: readonly WorkflowTask[] = [
  { state: 'Plan', placeholder: 'PlanFunctionArn', dir: 'plan' },
  { state: 'Plan Batch', placeholder: 'PlanBatchFunctionArn', dir: 'plan-batch' },
  { state: 'Finish Plan', placeholder: 'FinishPlanFunctionArn', dir: 'finish-plan' },
  { state: 'Build Parallel Data', placeholder: 'BuildParallelDataFunctionArn', dir: 'build-parallel-data' },
  {
    state: 'Create Or Update Parallel Data',
    placeholder: 'CreateOrUpdateParallelDataFunctionArn',
    dir: 'create-or-update-parallel-data',
  },
  { state: 'Check Parallel Data', placeholder: 'CheckParallelDataFunctionArn', dir: 'check-parallel-data' },
  { state: 'Prepare Batch', placeholder: 'PrepareBatchFunctionArn', dir: 'prepare-batch' },
  {
    state: 'Start Translation Job',
    placeholder: 'StartTranslationJobFunctionArn',
    dir: 'start-translation-job',
  },
  {
    state: 'Check Translation Job',
    placeholder: 'CheckTranslationJobFunctionArn',
    dir: 'check-translation-job',
  },
  { state: 'Assemble Batch', placeholder: 'AssembleBatchFunctionArn', dir: 'assemble-batch' },
  { state: 'Assemble And Score', placeholder: 'AssembleAndScoreFunctionArn', dir: 'assemble-and-score' },
  { state: 'Record Failure', placeholder: 'RecordFailureFunctionArn', dir: 'record-failure' },
];

/** Wait states and the field of the state data their duration comes from. */
export const WORKFLOW_WAITS: readonly string[] = [
  'Wait For Earlier Run',
  'Wait For Parallel Data',
  'Wait For Translation Job',
];

/** Path of the ASL file, relative to the repository root. */
export const WORKFLOW_ASL_PATH = 'statemachine/workflow.asl.json';

/**
 * Every `${Placeholder}` of the ASL with its value for one pair.
 * `functionArn(dir)` gives the ARN (or any resource string a local runner wants) for a handler folder.
 */
export function workflowSubstitutions(
  pair: { readonly source: string; readonly target: string },
  functionArn: (dir: string) => string,
  bucketName: string,
): Record<string, string> {
  const out: Record<string, string> = {
    SourceLanguage: pair.source,
    TargetLanguage: pair.target,
    BucketName: bucketName,
  };
  for (const t of WORKFLOW_TASKS) out[t.placeholder] = functionArn(t.dir);
  return out;
}

/** Replace every `${Name}` in `text`; throws on a placeholder without a substitution. */
export function substitutePlaceholders(
  text: string,
  substitutions: Readonly<Record<string, string>>,
): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`no substitution for \${${name}} in the workflow definition`);
    return value;
  });
}
