#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AmtsStack } from './amts-stack';
import { assertParallelDataRegion, loadConfig } from './config';

/**
 * CDK entry (`cdk.json` "app"). Environment-agnostic on purpose: `cdk synth` works offline without
 * credentials; `cdk deploy` takes the account and region of the caller.
 */
const app = new App();
const config = loadConfig((key) => app.node.tryGetContext(key));
// The CLI sets CDK_DEFAULT_REGION from the profile / AWS_REGION when it knows one (no network needed).
assertParallelDataRegion(config, process.env.CDK_DEFAULT_REGION);
new AmtsStack(app, 'Amts', {
  config,
  description:
    'AMTS: machine translation and synchronisation of Markdown books (Step Functions + Amazon Translate)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
