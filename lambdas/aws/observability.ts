import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Powertools logger and metrics shared by the handlers.
 *
 * Tracing: the functions run with Lambda active tracing and the state machine with X-Ray on, so every
 * execution has a trace through its Task invocations. The Powertools Tracer (per-SDK-call
 * subsegments) is deliberately NOT bundled: it pulls in aws-xray-sdk-core + semver + cls-hooked
 * (≈ 115 KB minified), which alone pushes the heavy functions over the 300 KB bundle budget
 * (bench/lambda.bench.ts). To get SDK subsegments back, wrap the clients in services.ts with
 * `new Tracer().captureAWSv3Client(client)`.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'amts' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'AMTS',
  serviceName: 'amts',
});
export { MetricUnit };

/**
 * Wrap a Task handler: logs the step start/end with the run id, flushes metrics, and lets errors
 * propagate unchanged (their `name` is what the state machine's Retry/Catch match).
 */
export function stepHandler<E, R>(step: string, fn: (event: E) => Promise<R>): (event: E) => Promise<R> {
  return async (event: E) => {
    logger.appendKeys({ step });
    try {
      const result = await fn(event);
      logger.info(`${step} done`, { result: result as unknown as Record<string, unknown> });
      return result;
    } catch (error) {
      logger.error(`${step} failed`, error as Error);
      throw error;
    } finally {
      if (process.env.AWS_LAMBDA_FUNCTION_NAME) metrics.publishStoredMetrics();
      logger.removeKeys(['step']);
    }
  };
}
