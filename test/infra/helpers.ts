import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AmtsStack } from '../../infra/amts-stack';
import { type AmtsConfig, DEFAULT_CONFIG } from '../../infra/config';

/** A synthesised stack without Lambda bundling (fast, offline). */
export function synthStack(config: Partial<AmtsConfig> = {}, opts: { nag?: boolean } = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AmtsStack(app, 'Amts', { config: { ...DEFAULT_CONFIG, ...config } });
  if (opts.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

export function templateOf(config: Partial<AmtsConfig> = {}): Template {
  return Template.fromStack(synthStack(config).stack);
}
