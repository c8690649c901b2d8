import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type LanguagePair, pairId } from '../lambdas/core/workflow/names';
import type { AmtsConfig } from './config';
import { PairFunctions } from './workflow-functions';
import { WORKFLOW_ASL_PATH, WORKFLOW_TASKS, workflowSubstitutions } from './workflow-placeholders';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The ASL text, read once (kept inline in the template so tests and the console can see it). */
export const WORKFLOW_ASL = readFileSync(path.join(ROOT, WORKFLOW_ASL_PATH), 'utf8');

/**
 * SQS messages per execution. A Pipe delivers the batch as the execution input (≤ 256 KiB); one
 * message (EventBridge S3 event in an SQS envelope) is ≈ 2.5 KB, so 64 messages stay well under it.
 * A larger burst becomes several executions: the first syncs everything, the next ones wait for the
 * pair lock and then find nothing left to do.
 */
export const UPLOAD_BATCH_SIZE = 64;

/** An SQS source may batch more than 10 messages only with a batching window of at least 1 s. */
export function uploadBatchSize(batchingWindowSeconds: number): number {
  return batchingWindowSeconds >= 1 ? UPLOAD_BATCH_SIZE : 10;
}

/** Executions that end without reaching Record Failure (or whose Record Failure failed) release their lock. */
export const LOCK_RELEASING_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface PairWorkflowProps {
  pair: LanguagePair;
  bucket: s3.IBucket;
  topic: sns.ITopic;
  config: AmtsConfig;
}

/**
 * Everything one language pair needs: its state machine (the shared ASL with this pair's
 * substitutions), the upload trigger (EventBridge rule → SQS → Pipe with a batching window →
 * StartExecution) and the nightly schedule.
 */
export class PairWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly queue: sqs.Queue;
  readonly translateRole: iam.Role;
  readonly functions: PairFunctions;

  constructor(scope: Construct, id: string, props: PairWorkflowProps) {
    super(scope, id);
    const { pair, bucket, config } = props;
    const pid = pairId(pair);
    const stack = Stack.of(this);

    // Translate's data-access role for this pair's jobs, as the batch-job prerequisites list it: read the
    // input, read AND write the output, s3:ListBucket on the bucket; trusted only by translate.amazonaws.com
    // for this account.
    this.translateRole = new iam.Role(this, 'TranslateDataAccess', {
      description: `Amazon Translate batch jobs of AMTS ${pid}: read job input and parallel data, read and write job output`,
      assumedBy: new iam.ServicePrincipal('translate.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'translate', resource: '*' }) },
        },
      }),
    });
    const input = `work/${pid}/*/input/*`;
    const output = `work/${pid}/*/output/*`;
    const csv = `parallel-data/${pid}/*`;
    this.translateRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(input), bucket.arnForObjects(output), bucket.arnForObjects(csv)],
      }),
    );
    this.translateRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    this.translateRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(output)] }),
    );
    const bucketRef = `<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    for (const [p, why] of [
      [input, `reads the batch input of a ${pid} run (work/${pid}/<runId>/input/)`],
      [csv, `reads the parallel-data CSV of ${pid}`],
      [output, `writes and reads back the batch output of a ${pid} run (work/${pid}/<runId>/output/)`],
    ] as const) {
      Validations.of(this.translateRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketRef}/${p}]`,
        reason: `Translate ${why}; run ids are only known at run time.`,
      });
    }

    this.functions = new PairFunctions(this, 'Functions', {
      pair,
      bucket,
      topic: props.topic,
      translateRole: this.translateRole,
      logRetentionDays: config.logRetentionDays,
      parallelData: config.parallelData,
    });
    const functions = this.functions.byDir;

    const logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `/aws/vendedlogs/states/amts-${pid}`,
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const fn = (dir: string) => {
      const f = functions.get(dir);
      if (!f) throw new Error(`no function for lambdas/${dir}`);
      return f;
    };
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `amts-${pid}`,
      comment: `AMTS ${pair.source}→${pair.target}`,
      definitionBody: sfn.DefinitionBody.fromString(WORKFLOW_ASL),
      definitionSubstitutions: workflowSubstitutions(pair, (dir) => fn(dir).functionArn, bucket.bucketName),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'CloudFormation-Validate::E1029',
      reason:
        'The $' + '{Placeholders} are substituted by DefinitionSubstitutions (Step Functions), not Fn::Sub.',
    });
    // A string definition gets no automatic IAM: invoke exactly the nine Task functions.
    const taskDirs = WORKFLOW_TASKS.map((t) => t.dir);
    for (const dir of taskDirs) fn(dir).grantInvoke(this.stateMachine);
    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CloudWatch Logs delivery (logs:CreateLogDelivery, …) and X-Ray (xray:PutTraceSegments, …) for Step Functions ' +
          'have no resource-level permissions.',
      },
      ...taskDirs.map((dir) => ({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(
          fn(dir).node.defaultChild as unknown as import('aws-cdk-lib').CfnElement,
        )}.Arn>:*]`,
        reason:
          'grantInvoke also allows the function’s versions and aliases (`<arn>:*`); the functions are this app’s own.',
      })),
    );

    // The Distributed Maps "Plan Documents" and "Assemble Documents" (docs: "IAM policies for using
    // Distributed Map states"): the state machine starts, describes and stops its own child executions,
    // and reads the Maps' items.
    const childExecutions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `amts-${pid}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const items = [`work/${pid}/*/plan/items.json`, `work/${pid}/*/assembly/items.json`];
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [
          stack.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: `amts-${pid}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [childExecutions],
      }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: items.map((key) => bucket.arnForObjects(key)),
      }),
    );
    Validations.of(this.stateMachine).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:amts-${pid}/*]`,
        reason:
          'The child executions of this state machine’s own Distributed Map runs (their names are made by Step Functions).',
      },
      ...items.map((key) => ({
        id: `AwsSolutions-IAM5[Resource::${bucketRef}/${key}]`,
        reason:
          'A Distributed Map reads its items (the documents to plan, or to assemble) of a run of this pair; run ids are only known at run time.',
      })),
    );

    // Upload trigger: S3 (EventBridge notifications) → rule → queue → pipe (batching window) → execution.
    // Retention: the dead-letter queue keeps a message longer than the source queue does (a message keeps
    // its original enqueue time when it moves to a standard DLQ).
    const dlq = new sqs.Queue(this, 'UploadEventsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'UploadEvents', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.minutes(10),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
    });
    new events.Rule(this, 'UploadRule', {
      description: `AMTS ${pid}: Markdown uploaded under source/${pair.source}/ or reference/${pair.target}/`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [bucket.bucketName] },
          object: {
            key: [{ wildcard: `source/${pair.source}/*.md` }, { wildcard: `reference/${pair.target}/*.md` }],
          },
        },
      },
      targets: [new targets.SqsQueue(this.queue)],
    });

    const pipeRole = new iam.Role(this, 'UploadPipeRole', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `AMTS ${pid}: read the upload queue, start the state machine`,
    });
    this.queue.grantConsumeMessages(pipeRole);
    this.stateMachine.grantStartExecution(pipeRole);
    new pipes.CfnPipe(this, 'UploadPipe', {
      description: `AMTS ${pid}: coalesce a burst of uploads into one execution`,
      roleArn: pipeRole.roleArn,
      source: this.queue.queueArn,
      sourceParameters: {
        sqsQueueParameters: {
          batchSize: uploadBatchSize(config.uploadBatchingWindowSeconds),
          maximumBatchingWindowInSeconds: config.uploadBatchingWindowSeconds,
        },
      },
      target: this.stateMachine.stateMachineArn,
      targetParameters: { stepFunctionStateMachineParameters: { invocationType: 'FIRE_AND_FORGET' } },
    });

    // An execution that times out, is stopped ("Stop execution", ABORTED) or fails past Record Failure
    // never reaches the handlers that release the pair lock: this rule does, for this pair's state machine
    // only, and only the lock that execution holds (lambdas/release-lock).
    new events.Rule(this, 'ExecutionEndedRule', {
      description: `AMTS ${pid}: release the pair lock of an execution that ended ${LOCK_RELEASING_STATUSES.join('/')}`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: [...LOCK_RELEASING_STATUSES],
          stateMachineArn: [this.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new targets.LambdaFunction(fn('release-lock'), {
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    if (config.nightlySchedule.enabled) {
      new scheduler.Schedule(this, 'NightlySchedule', {
        description: `AMTS ${pid}: nightly sync`,
        schedule: scheduler.ScheduleExpression.expression(
          config.nightlySchedule.cron,
          TimeZone.of(config.nightlySchedule.timeZone),
        ),
        target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
          input: scheduler.ScheduleTargetInput.fromObject({ mode: 'sync' }),
        }),
      });
    }
  }
}
