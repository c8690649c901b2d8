import { Aws, CfnOutput, CfnRule, Duration, Fn, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { pairId } from '../lambdas/core/workflow/names';
import { ACT_REGIONS, type AmtsConfig } from './config';
import { PairWorkflow } from './pair-workflow';

export interface AmtsStackProps extends StackProps {
  config: AmtsConfig;
}

/** One bucket, one notification topic and one workflow (state machine, functions, roles) per language pair. */
export class AmtsStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly topic: sns.Topic;
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

    // The book: source/, reference/, translated/, parallel-data/, work/, state/, reports/ (docs/architecture.md "S3 layout").
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

    if (config.parallelData) {
      // The region is a token in an environment-agnostic synth (app.ts checks it when the CLI knows it):
      // CloudFormation checks it before creating anything.
      new CfnRule(this, 'ActiveCustomTranslationRegion', {
        assertions: [
          {
            assert: Fn.conditionContains([...ACT_REGIONS], Aws.REGION),
            assertDescription:
              `Amazon Translate Active Custom Translation (parallel data) exists only in ${ACT_REGIONS.join(', ')}. ` +
              'Deploy there, or deploy with -c parallelData=false to translate without parallel data.',
          },
        ],
      });
    }

    for (const pair of config.languagePairs) {
      const id = pairId(pair);
      const wf = new PairWorkflow(this, `Workflow-${id}`, {
        pair,
        bucket: this.bucket,
        topic: this.topic,
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
          'CDK’s own bucket-notification custom resource handler (turns on EventBridge notifications, runs only during ' +
          'deployment). Its AWS-managed basic execution role lets it create and write to any CloudWatch log group in the ' +
          'account; CDK offers no way to scope that role.',
      });
    }
    new CfnOutput(this, 'BucketName', {
      description: 'Upload source/<src>/ and reference/<tgt>/ here',
      value: this.bucket.bucketName,
    });
    new CfnOutput(this, 'NotificationTopic', { value: this.topic.topicArn });
  }
}
