import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { pairId } from '../lambdas/core/workflow/names';
import type { AmtsConfig } from './config';
import { PairWorkflow } from './pair-workflow';
import { WorkflowFunctions } from './workflow-functions';

export interface AmtsStackProps extends StackProps {
  config: AmtsConfig;
}

/** One bucket, one notification topic, the shared Lambdas and one workflow per language pair. */
export class AmtsStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly topic: sns.Topic;
  readonly translateRole: iam.Role;
  readonly workflows: PairWorkflow[] = [];

  constructor(scope: Construct, id: string, props: AmtsStackProps) {
    super(scope, id, props);
    const { config } = props;

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the book bucket; logging it into itself would loop.',
    });

    // The book: source/, reference/, translated/, parallel-data/, work/, state/, reports/ (DESIGN.md).
    this.bucket = new s3.Bucket(this, 'Book', {
      versioned: true, // nothing a run writes can destroy a human's work
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      eventBridgeEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'book/',
      lifecycleRules: [
        {
          id: 'expire-work',
          prefix: 'work/',
          expiration: Duration.days(30),
          noncurrentVersionExpiration: Duration.days(7),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    this.topic = new sns.Topic(this, 'Notifications', {
      displayName: 'AMTS run notifications',
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (config.notificationEmail) {
      // Every run publishes one message; the e-mail skips the nightly "nothing to do" ones.
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(config.notificationEmail, {
          filterPolicy: {
            outcome: sns.SubscriptionFilter.stringFilter({
              allowlist: ['SUCCEEDED', 'PARTIAL', 'FAILED', 'DRY_RUN'],
            }),
          },
        }),
      );
    }

    // Translate's data-access role: trusted only by translate.amazonaws.com for this account's jobs.
    this.translateRole = new iam.Role(this, 'TranslateDataAccess', {
      description: 'Amazon Translate batch jobs of AMTS: read job input and parallel data, write job output',
      assumedBy: new iam.ServicePrincipal('translate.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'translate', resource: '*' }) },
        },
      }),
    });
    const bucketRef = `<${this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    this.translateRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [
          this.bucket.arnForObjects('work/*/input/*'),
          this.bucket.arnForObjects('parallel-data/*'),
        ],
      }),
    );
    this.translateRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['work/*', 'parallel-data/*'] } },
      }),
    );
    this.translateRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('work/*/output/*')],
      }),
    );
    for (const [p, why] of [
      ['work/*/input/*', 'reads the batch input of a run (work/<pair>/<runId>/input/)'],
      ['parallel-data/*', 'reads the parallel-data CSV of a pair'],
      ['work/*/output/*', 'writes the batch output of a run (work/<pair>/<runId>/output/)'],
    ] as const) {
      Validations.of(this.translateRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${bucketRef}/${p}]`,
        reason: `Translate ${why}; run ids are only known at run time.`,
      });
    }

    const functions = new WorkflowFunctions(this, 'Functions', {
      bucket: this.bucket,
      topic: this.topic,
      translateRole: this.translateRole,
      logRetentionDays: config.logRetentionDays,
    });

    for (const pair of config.languagePairs) {
      const id = pairId(pair);
      const wf = new PairWorkflow(this, `Workflow-${id}`, {
        pair,
        bucket: this.bucket,
        functions: functions.byDir,
        config,
      });
      this.workflows.push(wf);
      new CfnOutput(this, `StateMachine-${id}`.replace(/[^A-Za-z0-9]/g, ''), {
        description: `State machine of ${pair.source}→${pair.target} (start an execution from the console with {} or the documented input)`,
        value: wf.stateMachine.stateMachineArn,
      });
    }
    // eventBridgeEnabled adds CDK's bucket-notifications custom resource (a singleton Lambda).
    const notificationsHandler = this.node.tryFindChild(
      'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
    );
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK’s own bucket-notification custom resource (turns on EventBridge notifications); logs only.',
      });
    }
    new CfnOutput(this, 'BucketName', {
      description: 'Upload source/<src>/ and reference/<tgt>/ here',
      value: this.bucket.bucketName,
    });
    new CfnOutput(this, 'NotificationTopic', { value: this.topic.topicArn });
  }
}
