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
import { type LanguagePair, pairId, parallelDataName } from '../lambdas/core/workflow/names';
import { WORKFLOW_TASKS } from './workflow-placeholders';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Lambda runtime of every function (nodejs22.x is deprecated on 2027-04-30). */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** esbuild target matching {@link LAMBDA_RUNTIME} (test/infra/bundles.test.ts bundles with the same). */
export const BUNDLE_TARGET = 'node24';
/** Modules left to the Lambda runtime (every `@aws-sdk/*` client ships with nodejs24.x). */
export const EXTERNAL_MODULES = ['@aws-sdk/*'];

/**
 * The S3 keys a function may read, write or delete, per pair. `{src}`, `{tgt}` and `{pair}` are replaced
 * by the pair's source, target and `<src>-<tgt>` (docs/architecture.md "S3 layout"; `state/<pair>/` holds the sync
 * state and the run lock, see lambdas/aws/state-store).
 */
interface Access {
  read?: string[];
  write?: string[];
  delete?: string[];
  /** s3:ListBucket on the bucket: listings, and a 404 (not 403) for a missing key the function reads. */
  list?: boolean;
  translate?: ('CreateParallelData' | 'UpdateParallelData' | 'GetParallelData')[];
  startJob?: boolean;
  describeJob?: boolean;
  publish?: boolean;
  memoryMb: number;
  timeout: Duration;
}

const LOCK = 'state/{pair}/run.lock';
/** Assembly's write-ahead log (lambdas/core/workflow/assembly-log.ts): Assemble deletes it after its commit, Plan after a recovery. */
const ASSEMBLY_LOG = 'state/{pair}/assembly-log.json';
/** The fanned-out assembly's logs, one per "Assemble Batch" (lambdas/core/workflow/assembly-log.ts). */
const BATCH_LOGS = 'state/{pair}/assembly-log/*';

/** What each function touches (read from the handlers; a test keeps this table and the handlers in step). */
export const ACCESS: Readonly<Record<string, Access>> = {
  plan: {
    read: ['source/{src}/*', 'reference/{tgt}/*', 'translated/{tgt}/*', 'state/{pair}/*'],
    // translated/: finishing an earlier run's interrupted assembly from its write-ahead log; work/: the
    // planning's items, run and context.
    write: ['work/{pair}/*', 'state/{pair}/*', 'translated/{tgt}/*'],
    delete: [LOCK, ASSEMBLY_LOG, BATCH_LOGS],
    list: true,
    memoryMb: 1024,
    timeout: Duration.minutes(5),
  },
  // A child of the Distributed Map "Plan Documents": a bounded batch of documents.
  'plan-batch': {
    // work/: the planning's run file; state/: the documents' shards.
    read: ['source/{src}/*', 'reference/{tgt}/*', 'translated/{tgt}/*', 'state/{pair}/*', 'work/{pair}/*'],
    write: ['work/{pair}/*'],
    list: true,
    memoryMb: 1024,
    timeout: Duration.minutes(5),
  },
  'finish-plan': {
    read: ['state/{pair}/*', 'work/{pair}/*'],
    // state/: the index (what was found up to date); reports/: a dry run's or a no-op run's report.
    write: ['work/{pair}/*', 'state/{pair}/*', 'reports/{pair}/*'],
    delete: [LOCK],
    list: true,
    publish: true, // dry-run and nothing-to-do notifications
    memoryMb: 1536,
    timeout: Duration.minutes(5),
  },
  'build-parallel-data': {
    read: ['source/{src}/*', 'reference/{tgt}/*', 'parallel-data/{pair}/*', 'work/{pair}/*'],
    write: ['parallel-data/{pair}/*', 'work/{pair}/*'],
    list: true,
    translate: ['GetParallelData'],
    memoryMb: 1024,
    timeout: Duration.minutes(10),
  },
  'create-or-update-parallel-data': {
    // Translate imports the CSV with the caller's permissions.
    read: ['parallel-data/{pair}/*'],
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
    read: ['source/{src}/*', 'work/{pair}/*'],
    write: ['work/{pair}/*'],
    memoryMb: 1024,
    timeout: Duration.minutes(10),
  },
  'start-translation-job': {
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
  // A child of the Distributed Map "Assemble Documents": a bounded batch of documents.
  'assemble-batch': {
    // work/: the batch's inputs and the job output; translated/: each file as it is now, with its ETag.
    read: ['translated/{tgt}/*', 'work/{pair}/*'],
    // work/: the batch's result, the evaluate mode's output, and the machine version of a file a human
    // changed while it assembled (work/<pair>/<runId>/machine/); state/: the batch's write-ahead log.
    write: ['translated/{tgt}/*', 'work/{pair}/*', BATCH_LOGS],
    list: true,
    memoryMb: 1536,
    timeout: Duration.minutes(14),
  },
  'assemble-and-score': {
    read: ['state/{pair}/*', 'work/{pair}/*'],
    write: ['state/{pair}/*', 'reports/{pair}/*'],
    delete: [LOCK, ASSEMBLY_LOG, BATCH_LOGS],
    list: true,
    publish: true,
    memoryMb: 1536,
    timeout: Duration.minutes(14),
  },
  'record-failure': {
    read: [LOCK],
    write: ['reports/{pair}/*'],
    delete: [LOCK],
    list: true,
    publish: true,
    memoryMb: 256,
    timeout: Duration.minutes(2),
  },
  // Not a Task: the target of the "execution ended" rule (TIMED_OUT, ABORTED, FAILED).
  'release-lock': {
    read: [LOCK],
    delete: [LOCK],
    list: true,
    memoryMb: 256,
    timeout: Duration.minutes(1),
  },
};

/** Handler folders of the Step Functions Tasks plus the lock-release function. */
export const FUNCTION_DIRS: readonly string[] = [...WORKFLOW_TASKS.map((t) => t.dir), 'release-lock'];

/** An S3 key pattern of {@link ACCESS} for one pair. */
export function keyPattern(pattern: string, pair: LanguagePair): string {
  return pattern
    .replaceAll('{src}', pair.source)
    .replaceAll('{tgt}', pair.target)
    .replaceAll('{pair}', pairId(pair));
}

export interface PairFunctionsProps {
  pair: LanguagePair;
  bucket: s3.IBucket;
  topic: sns.ITopic;
  /** The pair's Translate data-access role (passed to StartTextTranslationJob). */
  translateRole: iam.IRole;
  logRetentionDays: number;
  /** false: Build Parallel Data never builds (AMTS_PARALLEL_DATA=off), jobs run without parallel data. */
  parallelData: boolean;
}

/**
 * The workflow's functions for ONE language pair. Per-pair functions (not shared ones) because IAM is per
 * role and a Lambda has one role: only per-pair functions can confine a pair to its own prefixes
 * (`source/<src>/`, `translated/<tgt>/`, `state/<pair>/`, …) and its own parallel-data resource. The code
 * asset is the same for every pair (bundled once); the cost is ~40 more resources per pair (see
 * MAX_PAIRS in infra/config.ts).
 */
export class PairFunctions extends Construct {
  /** By handler folder (`plan`, `check-translation-job`, …, `release-lock`). */
  readonly byDir: ReadonlyMap<string, lambda.IFunction>;

  constructor(scope: Construct, id: string, props: PairFunctionsProps) {
    super(scope, id);
    const map = new Map<string, lambda.IFunction>();
    for (const dir of FUNCTION_DIRS) {
      const access = ACCESS[dir];
      if (!access) throw new Error(`no access rules for lambdas/${dir}`);
      const name = dir
        .split('-')
        .map((w) => w[0]?.toUpperCase() + w.slice(1))
        .join('');
      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        retention: props.logRetentionDays as logs.RetentionDays,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Our own role instead of AWSLambdaBasicExecutionRole (which may write to ANY log group):
      // this function's log group only.
      const role = new iam.Role(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `AMTS ${pairId(props.pair)} lambdas/${dir}: least privilege for this pair`,
      });
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      );
      const fn = new NodejsFunction(this, name, {
        description: `AMTS ${pairId(props.pair)} ${dir === 'release-lock' ? 'releases the lock of an execution that ended without Record Failure' : `workflow step "${WORKFLOW_TASKS.find((t) => t.dir === dir)?.state}"`}`,
        entry: path.join(ROOT, 'lambdas', dir, 'handler.ts'),
        handler: 'handler',
        depsLockFilePath: path.join(ROOT, 'package-lock.json'),
        projectRoot: ROOT,
        runtime: LAMBDA_RUNTIME,
        architecture: lambda.Architecture.ARM_64,
        memorySize: access.memoryMb,
        timeout: access.timeout,
        tracing: lambda.Tracing.ACTIVE,
        logGroup,
        role,
        environment: {
          AMTS_BUCKET: props.bucket.bucketName,
          AMTS_TOPIC_ARN: props.topic.topicArn,
          AMTS_TRANSLATE_ROLE_ARN: props.translateRole.roleArn,
          AMTS_PAIR: pairId(props.pair),
          AMTS_PARALLEL_DATA: props.parallelData ? 'on' : 'off',
          POWERTOOLS_SERVICE_NAME: 'amts',
          POWERTOOLS_METRICS_NAMESPACE: 'AMTS',
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: {
          minify: true,
          sourceMap: true,
          target: BUNDLE_TARGET,
          format: OutputFormat.CJS,
          externalModules: EXTERNAL_MODULES,
        },
      });
      this.grant(fn, role, dir, access, props);
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and Translate StartTextTranslationJob/DescribeTextTranslationJob ' +
          'have no resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazontranslate.html).',
      });
      map.set(dir, fn);
    }
    this.byDir = map;
  }

  private grant(fn: NodejsFunction, role: iam.Role, dir: string, access: Access, props: PairFunctionsProps) {
    const stack = Stack.of(this);
    const bucketRef = `<${stack.getLogicalId(props.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    const keys = (patterns: string[]) => patterns.map((p) => keyPattern(p, props.pair));
    const objects = (patterns: string[]) => keys(patterns).map((k) => props.bucket.arnForObjects(k));
    const ack = (patterns: string[], what: string) => {
      for (const k of keys(patterns).filter((x) => x.includes('*'))) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${bucketRef}/${k}]`,
          reason: `lambdas/${dir} ${what} objects under ${k.slice(0, -1)} only (this pair's prefix; keys are per document and per run).`,
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
      ack(access.delete, 'deletes');
    }
    if (access.list) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] }),
      );
    }
    if (access.translate?.length) {
      const arn = stack.formatArn({
        service: 'translate',
        resource: 'parallel-data',
        resourceName: parallelDataName(props.pair),
      });
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: access.translate.map((a) => `translate:${a}`), resources: [arn] }),
      );
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
    if (access.publish) {
      // sns:Publish only. The topic uses the AWS managed key alias/aws/sns, whose key policy already lets
      // principals of this account use it through SNS (kms:ViaService): no KMS statement is needed (CDK's
      // grantPublish would add kms:GenerateDataKey* on key/* under the newer feature flags).
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
      );
    }
  }
}
