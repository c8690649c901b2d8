import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { WORKFLOW_TASKS } from './workflow-placeholders';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The S3 prefixes a function may read, write or delete under (least privilege, per function). */
interface Access {
  read?: string[];
  write?: string[];
  delete?: string[];
  list?: boolean;
  translate?: ('CreateParallelData' | 'UpdateParallelData' | 'GetParallelData')[];
  startJob?: boolean;
  describeJob?: boolean;
  publish?: boolean;
  memoryMb: number;
  timeout: Duration;
}

/**
 * What each function touches. Prefixes come from DESIGN.md "S3 layout"; `state/` holds the sync state
 * and the run lock (lambdas/aws/state-store).
 */
const ACCESS: Record<string, Access> = {
  plan: {
    read: ['source/*', 'reference/*', 'translated/*', 'state/*'],
    write: ['work/*', 'state/*', 'reports/*'],
    delete: ['state/*'],
    list: true,
    publish: true, // dry-run and nothing-to-do notifications
    memoryMb: 1024,
    timeout: Duration.minutes(5),
  },
  'build-parallel-data': {
    read: ['source/*', 'reference/*', 'work/*'],
    write: ['parallel-data/*', 'work/*'],
    list: true,
    translate: ['GetParallelData'],
    memoryMb: 1024,
    timeout: Duration.minutes(10),
  },
  'create-or-update-parallel-data': {
    // Translate reads the CSV with the caller's permissions when importing parallel data.
    read: ['parallel-data/*'],
    translate: ['CreateParallelData', 'UpdateParallelData', 'GetParallelData'],
    memoryMb: 256,
    timeout: Duration.minutes(1),
  },
  'check-parallel-data': {
    translate: ['GetParallelData'],
    memoryMb: 256,
    timeout: Duration.minutes(1),
  },
  'prepare-batch': {
    read: ['source/*', 'work/*'],
    write: ['work/*'],
    memoryMb: 1024,
    timeout: Duration.minutes(10),
  },
  'start-translation-job': {
    read: ['work/*'],
    translate: ['GetParallelData'],
    startJob: true,
    memoryMb: 256,
    timeout: Duration.minutes(1),
  },
  'check-translation-job': {
    describeJob: true,
    memoryMb: 256,
    timeout: Duration.minutes(1),
  },
  'assemble-and-score': {
    read: ['source/*', 'reference/*', 'translated/*', 'state/*', 'work/*'],
    write: ['translated/*', 'state/*', 'reports/*'],
    delete: ['state/*'],
    list: true,
    publish: true,
    memoryMb: 1536,
    timeout: Duration.minutes(15),
  },
  'record-failure': {
    read: ['state/*', 'work/*'],
    write: ['reports/*', 'state/*'],
    delete: ['state/*'],
    // Without ListBucket a GET of a missing key (no lock held) answers 403 instead of 404.
    list: true,
    publish: true,
    memoryMb: 256,
    timeout: Duration.minutes(2),
  },
};

export interface WorkflowFunctionsProps {
  bucket: s3.IBucket;
  topic: sns.ITopic;
  translateRole: iam.IRole;
  logRetentionDays: number;
}

/** The nine Lambda functions of the workflow, shared by every language pair (the pair travels in the payload). */
export class WorkflowFunctions extends Construct {
  /** By handler folder (`plan`, `check-translation-job`, …). */
  readonly byDir: ReadonlyMap<string, lambda.IFunction>;

  constructor(scope: Construct, id: string, props: WorkflowFunctionsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const bucketRef = `<${stack.getLogicalId(props.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    const map = new Map<string, lambda.IFunction>();
    for (const task of WORKFLOW_TASKS) {
      const access = ACCESS[task.dir];
      if (!access) throw new Error(`no access rules for lambdas/${task.dir}`);
      const name = task.dir
        .split('-')
        .map((w) => w[0]?.toUpperCase() + w.slice(1))
        .join('');
      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        retention: props.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const fn = new NodejsFunction(this, name, {
        description: `AMTS workflow step "${task.state}"`,
        entry: path.join(ROOT, 'lambdas', task.dir, 'handler.ts'),
        handler: 'handler',
        depsLockFilePath: path.join(ROOT, 'package-lock.json'),
        projectRoot: ROOT,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: access.memoryMb,
        timeout: access.timeout,
        tracing: lambda.Tracing.ACTIVE,
        logGroup,
        environment: {
          AMTS_BUCKET: props.bucket.bucketName,
          AMTS_TOPIC_ARN: props.topic.topicArn,
          AMTS_TRANSLATE_ROLE_ARN: props.translateRole.roleArn,
          POWERTOOLS_SERVICE_NAME: 'amts',
          POWERTOOLS_METRICS_NAMESPACE: 'AMTS',
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: {
          minify: true,
          sourceMap: true,
          target: 'node22',
          format: OutputFormat.CJS,
          externalModules: ['@aws-sdk/*'],
        },
      });
      this.grant(fn, task.dir, access, props, bucketRef);
      Validations.of(fn).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            'The AWS managed basic execution policy only allows writing this function’s CloudWatch logs.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'X-Ray PutTraceSegments/PutTelemetryRecords and Translate StartTextTranslationJob/DescribeTextTranslationJob ' +
            'have no resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazontranslate.html).',
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            'Node.js 22 is the runtime this project targets and tests with (issue 5); move to 24 deliberately.',
        },
      );
      map.set(task.dir, fn);
    }
    this.byDir = map;
  }

  private grant(
    fn: NodejsFunction,
    dir: string,
    access: Access,
    props: WorkflowFunctionsProps,
    bucketRef: string,
  ) {
    const objects = (prefixes: string[]) => prefixes.map((p) => props.bucket.arnForObjects(p));
    const ack = (prefixes: string[], what: string) => {
      for (const p of prefixes) {
        Validations.of(fn).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${bucketRef}/${p}]`,
          reason: `lambdas/${dir} ${what} objects under the ${p.replace('/*', '/')} prefix of the book bucket (keys are per document and per run).`,
        });
      }
    };
    if (access.read?.length) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects(access.read) }),
      );
      ack(access.read, 'reads');
    }
    if (access.write?.length) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: objects(access.write) }),
      );
      ack(access.write, 'writes');
    }
    if (access.delete?.length) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: objects(access.delete) }),
      );
      ack(access.delete, 'deletes (run lock)');
    }
    if (access.list) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] }),
      );
    }
    if (access.translate?.length) {
      const arn = Stack.of(this).formatArn({
        service: 'translate',
        resource: 'parallel-data',
        resourceName: 'amts-*',
      });
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: access.translate.map((a) => `translate:${a}`), resources: [arn] }),
      );
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:translate:<AWS::Region>:<AWS::AccountId>:parallel-data/amts-*]',
        reason: 'Only the parallel-data resources this app names (amts-<src>-<tgt>, one per pair).',
      });
    }
    if (access.startJob) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['translate:StartTextTranslationJob'], resources: ['*'] }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [props.translateRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'translate.amazonaws.com' } },
        }),
      );
    }
    if (access.describeJob) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['translate:DescribeTextTranslationJob'], resources: ['*'] }),
      );
    }
    if (access.publish) props.topic.grantPublish(fn);
  }
}
