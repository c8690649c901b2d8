import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type LanguagePair, pairId } from '../lambdas/core/workflow/names';
import type { AmtsConfig } from './config';
import { WORKFLOW_ASL_PATH, workflowSubstitutions } from './workflow-placeholders';

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

export interface PairWorkflowProps {
  pair: LanguagePair;
  bucket: s3.IBucket;
  functions: ReadonlyMap<string, lambda.IFunction>;
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

  constructor(scope: Construct, id: string, props: PairWorkflowProps) {
    super(scope, id);
    const { pair, bucket, functions, config } = props;
    const pid = pairId(pair);

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
      definitionSubstitutions: workflowSubstitutions(pair, (dir) => fn(dir).functionArn),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'CloudFormation-Validate::E1029',
      reason:
        'The $' + '{Placeholders} are substituted by DefinitionSubstitutions (Step Functions), not Fn::Sub.',
    });
    // A string definition gets no automatic IAM: invoke exactly the nine functions.
    for (const f of functions.values()) f.grantInvoke(this.stateMachine);
    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CloudWatch Logs delivery (logs:CreateLogDelivery, …) and X-Ray (xray:PutTraceSegments, …) for Step Functions ' +
          'have no resource-level permissions.',
      },
      ...[...functions.keys()].map((dir) => ({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(
          fn(dir).node.defaultChild as unknown as import('aws-cdk-lib').CfnElement,
        )}.Arn>:*]`,
        reason:
          'grantInvoke also allows the function’s versions and aliases (`<arn>:*`); the functions are this app’s own.',
      })),
    );

    // Upload trigger: S3 (EventBridge notifications) → rule → queue → pipe (batching window) → execution.
    const dlq = new sqs.Queue(this, 'UploadEventsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'UploadEvents', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
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
          batchSize: UPLOAD_BATCH_SIZE,
          maximumBatchingWindowInSeconds: config.uploadBatchingWindowSeconds,
        },
      },
      target: this.stateMachine.stateMachineArn,
      targetParameters: { stepFunctionStateMachineParameters: { invocationType: 'FIRE_AND_FORGET' } },
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
