import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AmtsStack } from '../../infra/amts-stack';
import { type AmtsConfig, DEFAULT_CONFIG } from '../../infra/config';

/** cdk.json's context (feature flags included), as `cdk synth` hands it to the app. */
export const CDK_JSON = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8'),
) as {
  context: Record<string, unknown>;
};

/** The feature flags of cdk.json (every `@aws-cdk/…` key). */
export function featureFlags(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(CDK_JSON.context).filter(([k]) => k.startsWith('@aws-cdk')));
}

/** A synthesised stack without Lambda bundling (fast, offline), with cdk.json's feature flags. */
export function synthStack(config: Partial<AmtsConfig> = {}, opts: { nag?: boolean } = {}) {
  const app = new App({ context: { ...featureFlags(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new AmtsStack(app, 'Amts', { config: { ...DEFAULT_CONFIG, ...config } });
  if (opts.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

export function templateOf(config: Partial<AmtsConfig> = {}): Template {
  return Template.fromStack(synthStack(config).stack);
}
