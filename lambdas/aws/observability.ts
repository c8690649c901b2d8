import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Powertools logger, metrics and tracer shared by the handlers. Outside Lambda the tracer is disabled
 * (no X-Ray daemon) and metrics are only flushed when a namespace is configured.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'amts' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'AMTS',
  serviceName: 'amts',
});
export const tracer = new Tracer({ serviceName: 'amts' });
export { MetricUnit };

/** Instrument an SDK client (X-Ray subsegments per call when tracing is on). */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}

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
