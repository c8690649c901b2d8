// What AWS's documentation requires of a first real deployment and run, checked on the template
// (issue 13): runtime, timeouts, per-pair least privilege, the lock release on an ended execution, queue
// settings, the Active Custom Translation region check and the CDK feature flags of a new project.

import { Aws, Token } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { ACT_REGIONS, assertParallelDataRegion, MAX_PAIRS } from '../../infra/config';
import { uploadBatchSize } from '../../infra/pair-workflow';
import { ACCESS, FUNCTION_DIRS } from '../../infra/workflow-functions';
import { WORKFLOW_TASKS } from '../../infra/workflow-placeholders';
import { allStates, definition } from '../statemachine/helpers';
import { featureFlags, templateOf } from './helpers';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** The statements of the role of one per-pair function (`Workflow-en-zh/Functions/PlanRole`). */
function roleStatements(t: Template, pair: string, dir: string): Statement[] {
  const name = dir
    .split('-')
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
  const prefix = `Workflow${pair.replace('-', '')}Functions${name}Role`;
  const policies = Object.entries(t.findResources('AWS::IAM::Policy')).filter(([id]) =>
    id.startsWith(prefix),
  );
  expect(policies, `${prefix}*`).toHaveLength(1);
  return policies[0]?.[1].Properties.PolicyDocument.Statement as Statement[];
}

/** The S3 key patterns a statement with `action` grants (`state/en-zh/run.lock`, `reports/en-zh/*`). */
function keysFor(st: Statement[], action: string): string[] {
  const out: string[] = [];
  for (const s of st.filter((x) => actions(x).includes(action))) {
    for (const r of Array.isArray(s.Resource) ? s.Resource : [s.Resource]) {
      const m = /"\/([^"]+)"\]\]\}$/.exec(JSON.stringify(r));
      if (m?.[1]) out.push(m[1]);
    }
  }
  return out.sort();
}

describe('a first real deployment', () => {
  const t = templateOf();
  const fns = Object.entries(t.findResources('AWS::Lambda::Function')).filter(
    ([, f]) => f.Properties.Environment?.Variables?.AMTS_BUCKET,
  );

  it.each(WORKFLOW_TASKS.map((task) => [task.state, task.dir]))(
    'Task "%s" waits longer than its Lambda may run, so a slow invocation fails as a Lambda error',
    (state, dir) => {
      const task = allStates(definition())[state] as { TimeoutSeconds?: number };
      const lambdaSeconds = ACCESS[dir]?.timeout.toSeconds() ?? Number.POSITIVE_INFINITY;
      expect(task.TimeoutSeconds).toBeGreaterThan(lambdaSeconds);
      for (const [id, f] of fns.filter(([id]) =>
        id.includes(
          dir
            .split('-')
            .map((w) => w[0]?.toUpperCase() + w.slice(1))
            .join(''),
        ),
      )) {
        expect(f.Properties.Timeout, id).toBe(lambdaSeconds);
      }
    },
  );

  it.each(WORKFLOW_TASKS.map((task) => task.state))(
    'Task "%s" retries Lambda.ClientExecutionTimeoutException with the other transient Lambda errors',
    (state) => {
      const retry = (allStates(definition())[state]?.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect(retry).toContain('Lambda.ClientExecutionTimeoutException');
    },
  );

  it('gives every function its own role: its log group, no AWS managed policy', () => {
    const roles = t.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        },
      },
    });
    const ours = Object.entries(roles).filter(([id]) => id.startsWith('Workflow'));
    expect(ours).toHaveLength(2 * FUNCTION_DIRS.length);
    for (const [id, r] of ours) expect(r.Properties.ManagedPolicyArns, id).toBeUndefined();
  });

  it.each([
    ['en-zh', 'en-es', 'es'],
    ['en-es', 'en-zh', 'zh'],
  ])('confines every %s function to its own pair’s prefixes (nothing of %s)', (pair, other, otherTarget) => {
    for (const dir of FUNCTION_DIRS) {
      const st = roleStatements(t, pair, dir);
      const text = JSON.stringify(st);
      expect(text, dir).not.toContain(other);
      expect(text, dir).not.toContain(`/${otherTarget}/`);
      for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
        for (const key of keysFor(st, action)) {
          // Every object key names the pair, its source or its target language.
          expect(key, `${dir} ${action}`).toMatch(
            new RegExp(
              `^(source/en|reference/${pair.slice(3)}|translated/${pair.slice(3)}|(state|work|reports|parallel-data)/${pair})/`,
            ),
          );
        }
      }
    }
  });

  it('lets Record Failure and the lock release touch only the lock and (Record Failure) the reports', () => {
    for (const dir of ['record-failure', 'release-lock']) {
      const st = roleStatements(t, 'en-zh', dir);
      expect(keysFor(st, 's3:GetObject'), dir).toEqual(['state/en-zh/run.lock']);
      expect(keysFor(st, 's3:DeleteObject'), dir).toEqual(['state/en-zh/run.lock']);
    }
    expect(keysFor(roleStatements(t, 'en-zh', 'record-failure'), 's3:PutObject')).toEqual([
      'reports/en-zh/*',
    ]);
    expect(keysFor(roleStatements(t, 'en-zh', 'release-lock'), 's3:PutObject')).toEqual([]);
  });

  it('scopes parallel-data API calls to the pair’s own resource (amts-<src>-<tgt>)', () => {
    const st = roleStatements(t, 'en-zh', 'create-or-update-parallel-data');
    const pd = st.find((s) => actions(s).includes('translate:UpdateParallelData'));
    expect(JSON.stringify(pd?.Resource)).toContain(':parallel-data/amts-en-zh"');
  });

  it('releases the lock of an execution of this pair that FAILED, TIMED_OUT or was ABORTED', () => {
    const rules = Object.values(
      t.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: { 'detail-type': ['Step Functions Execution Status Change'] } },
      }),
    );
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect(r.Properties.EventPattern).toEqual({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ Ref: expect.any(String) }],
        },
      });
      const target = JSON.stringify(r.Properties.Targets);
      expect(target).toContain('ReleaseLock');
      expect(r.Properties.Targets[0].RetryPolicy).toMatchObject({ MaximumRetryAttempts: 8 });
    }
  });

  it('keeps upload events 4 days and dead letters 14 days, and batches >10 messages only with a window ≥ 1 s', () => {
    t.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 4 * 24 * 3600,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    t.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600 });
    expect(uploadBatchSize(0)).toBe(10);
    expect(uploadBatchSize(1)).toBe(64);
    templateOf({ uploadBatchingWindowSeconds: 0 }).hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: { SqsQueueParameters: { BatchSize: 10, MaximumBatchingWindowInSeconds: 0 } },
    });
  });

  it('sets every feature flag a new `cdk init` of the installed aws-cdk-lib sets', () => {
    const flags = featureFlags();
    for (const [flag, value] of Object.entries(CURRENTLY_RECOMMENDED_FLAGS)) {
      expect(flags[flag], flag).toEqual(value);
    }
    expect(flags['@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy']).toBe(true);
    // …which is why the access-log bucket has no legacy AccessControl (cfn-lint W3045).
    for (const b of Object.values(t.findResources('AWS::S3::Bucket'))) {
      expect(b.Properties.AccessControl).toBeUndefined();
    }
  });

  it(`fits ${MAX_PAIRS} pairs into CloudFormation's 500 resources per stack`, () => {
    const count = (n: number) =>
      Object.keys(
        templateOf({
          languagePairs: [
            { source: 'en', target: 'zh' },
            { source: 'en', target: 'es' },
          ].slice(0, n),
        }).toJSON().Resources,
      ).length;
    const one = count(1);
    const perPair = count(2) - one;
    expect(one + (MAX_PAIRS - 1) * perPair).toBeLessThanOrEqual(500);
    expect(one + MAX_PAIRS * perPair).toBeGreaterThan(500 - perPair); // and the limit is not needlessly low
  });
});

describe('Active Custom Translation regions', () => {
  it('lists the regions the Translate Developer Guide names', () => {
    expect([...ACT_REGIONS].sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
  });

  it.each(['eu-central-1', 'ap-northeast-1', 'us-east-2'])(
    'refuses at synth a deployment to %s with parallel data on, naming the supported regions and the switch',
    (region) => {
      expect(() => assertParallelDataRegion({ parallelData: true }, region)).toThrow(
        new RegExp(`${region}.*us-east-1, us-west-2, eu-west-1.*parallelData=false`),
      );
    },
  );

  it('accepts a supported region, an unknown one (environment-agnostic synth) and any region without parallel data', () => {
    for (const r of ACT_REGIONS)
      expect(() => assertParallelDataRegion({ parallelData: true }, r)).not.toThrow();
    expect(() => assertParallelDataRegion({ parallelData: true }, undefined)).not.toThrow();
    expect(() => assertParallelDataRegion({ parallelData: true }, Token.asString(Aws.REGION))).not.toThrow();
    expect(() => assertParallelDataRegion({ parallelData: false }, 'eu-central-1')).not.toThrow();
  });

  it('checks the region at deploy time too (a template Rule), unless parallel data is off', () => {
    const rules = templateOf().toJSON().Rules as Record<
      string,
      { Assertions: { Assert: unknown; AssertDescription: string }[] }
    >;
    const rule = Object.values(rules ?? {}).find((r) =>
      JSON.stringify(r).includes('Active Custom Translation'),
    );
    expect(rule?.Assertions[0]?.Assert).toEqual({
      'Fn::Contains': [[...ACT_REGIONS], { Ref: 'AWS::Region' }],
    });
    expect(rule?.Assertions[0]?.AssertDescription).toMatch(/parallelData=false/);
    const off = templateOf({ parallelData: false }).toJSON();
    expect(JSON.stringify(off.Rules ?? {})).not.toContain('Active Custom Translation');
    const env = Object.values(
      templateOf({ parallelData: false }).findResources('AWS::Lambda::Function'),
    ).filter((f) => f.Properties.Environment?.Variables?.AMTS_BUCKET);
    for (const f of env) expect(f.Properties.Environment.Variables.AMTS_PARALLEL_DATA).toBe('off');
  });
});
