import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config';
import { FUNCTION_DIRS } from '../../infra/workflow-functions';
import { synthStack, templateOf } from './helpers';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

function statements(t: Template): Statement[] {
  const policies = t.findResources('AWS::IAM::Policy');
  const roles = t.findResources('AWS::IAM::Role');
  const out: Statement[] = [];
  for (const p of Object.values(policies))
    out.push(...(p.Properties.PolicyDocument.Statement as Statement[]));
  for (const r of Object.values(roles)) {
    for (const p of (r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) {
      out.push(...p.PolicyDocument.Statement);
    }
  }
  return out;
}

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('AmtsStack', () => {
  const t = templateOf();

  it('deploys one state machine per configured pair, named after the pair', () => {
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    for (const name of ['amts-en-zh', 'amts-en-es']) {
      t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: name });
    }
  });

  it('adds a pair with one line of config', () => {
    const three = templateOf({
      languagePairs: [
        { source: 'en', target: 'zh' },
        { source: 'en', target: 'es' },
        { source: 'en', target: 'pt' },
      ],
    });
    three.resourceCountIs('AWS::StepFunctions::StateMachine', 3);
    three.resourceCountIs('AWS::Pipes::Pipe', 3);
    // Per-pair functions (9 Tasks + the lock release) + CDK's bucket-notifications handler.
    three.resourceCountIs('AWS::Lambda::Function', 3 * FUNCTION_DIRS.length + 1);
  });

  it('keeps the ASL inline with the pair substitutions, logging ALL and X-Ray tracing', () => {
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'amts-en-zh',
      DefinitionString: Match.stringLikeRegexp('"Start Run"'),
      DefinitionSubstitutions: Match.objectLike({
        SourceLanguage: 'en',
        TargetLanguage: 'zh',
        PlanFunctionArn: Match.anyValue(),
        RecordFailureFunctionArn: Match.anyValue(),
      }),
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('runs every Lambda on Node.js 24, arm64, with active tracing', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.AMTS_BUCKET,
    );
    expect(fns).toHaveLength(2 * FUNCTION_DIRS.length);
    for (const f of fns) {
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('has one versioned, encrypted, private, SSL-only bucket with EventBridge and a work/-only lifecycle', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.objectLike({}),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ Prefix: 'work/', Status: 'Enabled', ExpirationInDays: 30 })],
      },
    });
    t.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('triggers on .md uploads under source/<src>/ and reference/<tgt>/ through SQS and a batching Pipe', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [Match.anyValue()] },
          object: { key: [{ wildcard: 'source/en/*.md' }, { wildcard: 'reference/zh/*.md' }] },
        },
      },
      Targets: [Match.objectLike({ Arn: Match.anyValue() })],
    });
    t.hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: {
        SqsQueueParameters: { BatchSize: 64, MaximumBatchingWindowInSeconds: 120 },
      },
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' } },
    });
  });

  it('schedules a nightly sync per pair in the configured time zone', () => {
    t.resourceCountIs('AWS::Scheduler::Schedule', 2);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({ Input: '{"mode":"sync"}' }),
    });
    const none = templateOf({
      nightlySchedule: { enabled: false, cron: 'cron(0 2 * * ? *)', timeZone: 'UTC' },
    });
    none.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });

  it('trusts the Translate data-access role only to translate.amazonaws.com of this account', () => {
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'translate.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ],
      },
    });
  });

  it('gives Translate what the batch prerequisites list — read input, read+write output, ListBucket — for its pair only', () => {
    const roles = t.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'translate.amazonaws.com' } })],
        },
      },
    });
    expect(Object.keys(roles)).toHaveLength(2); // one per pair
    for (const [pid, other] of [
      ['en-zh', 'en-es'],
      ['en-es', 'en-zh'],
    ] as const) {
      const roleId = Object.keys(roles).find((id) => id.includes(pid.replace('-', ''))) as string;
      const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) =>
        JSON.stringify(p.Properties.Roles).includes(roleId),
      );
      const st = policy?.Properties.PolicyDocument.Statement as Statement[];
      const text = JSON.stringify(st);
      expect(text).not.toContain(other);
      const get = st.find((s) => actions(s).includes('s3:GetObject'));
      expect(JSON.stringify(get?.Resource)).toContain(`/work/${pid}/*/input/*`);
      expect(JSON.stringify(get?.Resource)).toContain(`/work/${pid}/*/output/*`);
      const put = st.find((s) => actions(s).includes('s3:PutObject'));
      expect(JSON.stringify(put?.Resource)).toContain(`/work/${pid}/*/output/*`);
      expect(JSON.stringify(put?.Resource)).not.toContain('input');
      const list = st.find((s) => actions(s).includes('s3:ListBucket'));
      expect(JSON.stringify(list?.Resource)).toMatch(/^\{"Fn::GetAtt":\["Book[A-F0-9]+","Arn"\]\}$/);
      expect(list?.Condition).toBeUndefined(); // the prerequisites grant ListBucket on the bucket, unconditioned
    }
  });

  it('passes each pair’s data-access role only to Translate', () => {
    const pass = statements(t).filter((s) => actions(s).includes('iam:PassRole'));
    expect(pass).toHaveLength(2);
    for (const p of pass) {
      expect(p.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'translate.amazonaws.com' } });
      expect(JSON.stringify(p.Resource)).toContain('TranslateDataAccess');
    }
  });

  it('grants no wildcard action anywhere', () => {
    for (const s of statements(t)) {
      for (const a of actions(s)) expect(a, JSON.stringify(s)).not.toMatch(/\*/);
    }
  });

  it('uses resource "*" only for APIs without resource-level permissions', () => {
    const allowed = new Set([
      'translate:StartTextTranslationJob',
      'translate:DescribeTextTranslationJob',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]);
    for (const s of statements(t).filter((x) => x.Resource === '*')) {
      for (const a of actions(s)) expect(allowed.has(a), a).toBe(true);
    }
  });

  it('publishes to an SSL-only, encrypted topic, and subscribes the configured e-mail', () => {
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    t.resourceCountIs('AWS::SNS::Subscription', 0);
    const withMail = templateOf({ notificationEmail: 'translators@example.org' });
    withMail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'translators@example.org',
      FilterPolicy: { outcome: ['SUCCEEDED', 'PARTIAL', 'FAILED', 'DRY_RUN'] },
    });
  });

  it('has zero unacknowledged cdk-nag AwsSolutions findings', () => {
    const { app } = synthStack({}, { nag: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('would fail the cdk-nag check on an unacknowledged finding (the check is live)', () => {
    const { app, stack } = synthStack({}, { nag: true });
    new s3.Bucket(stack, 'Careless'); // no SSL enforcement, no access logs
    expect(() => app.synth()).toThrow(/AwsSolutions-S(1|10)/);
  });
});

describe('loadConfig()', () => {
  const ctx = (values: Record<string, unknown>) => (key: string) => values[key];

  it('rejects a language code Translate does not know, naming the key', () => {
    expect(() => loadConfig(ctx({ languagePairs: [{ source: 'english', target: 'zh' }] }))).toThrow(
      /context\.languagePairs\[0\]\.source/,
    );
  });

  it('rejects an unknown key inside a pair and a duplicated pair', () => {
    expect(() => loadConfig(ctx({ languagePairs: [{ source: 'en', target: 'zh', extra: 1 }] }))).toThrow(
      /extra/,
    );
    expect(() =>
      loadConfig(
        ctx({
          languagePairs: [
            { source: 'en', target: 'zh' },
            { source: 'en', target: 'zh' },
          ],
        }),
      ),
    ).toThrow(/en-zh twice/);
  });

  it('rejects a pair translating into its own language and an empty pair list', () => {
    expect(() => loadConfig(ctx({ languagePairs: [{ source: 'en', target: 'en' }] }))).toThrow(/both "en"/);
    expect(() => loadConfig(ctx({ languagePairs: [] }))).toThrow(/languagePairs/);
  });

  it('rejects a batching window over the 300 s a Pipe allows and a bad schedule expression', () => {
    expect(() => loadConfig(ctx({ uploadBatchingWindowSeconds: 301 }))).toThrow(
      /uploadBatchingWindowSeconds/,
    );
    expect(() =>
      loadConfig(ctx({ nightlySchedule: { enabled: true, cron: '0 2 * * *', timeZone: 'UTC' } })),
    ).toThrow(/cron/);
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    expect(() => loadConfig(ctx({ logRetentionDays: 45 }))).toThrow(
      /logRetentionDays: must be one of .*30, 60, 90/,
    );
    expect(loadConfig(ctx({ logRetentionDays: 365 })).logRetentionDays).toBe(365);
  });

  it('accepts JSON strings from `cdk deploy -c key=value` and fills defaults', () => {
    const config = loadConfig(
      ctx({ languagePairs: '[{"source":"en","target":"zh-TW"}]', notificationEmail: 'a@b.org' }),
    );
    expect(config.languagePairs).toEqual([{ source: 'en', target: 'zh-TW' }]);
    expect(config.notificationEmail).toBe('a@b.org');
    expect(config.nightlySchedule.timeZone).toBe('UTC');
  });
});
