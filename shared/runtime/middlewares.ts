import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj } from "@middy/core";
import type { Context } from "aws-lambda";
import type { InvocationMetrics } from "../observability";

/** Adds the Lambda context (request id, function, cold start) to every log line of the invocation. */
export const lambdaContextLogging = (logger: PowertoolsLogger): MiddlewareObj => ({
  before: (request) => {
    const context = request.context as Context;
    if (context?.awsRequestId) logger.addContext(context);
  },
});

/** Publishes the invocation's metrics (EMF) once, whether it succeeded or threw. */
export const publishMetrics = (metrics: () => InvocationMetrics | undefined): MiddlewareObj => {
  const flush = () => metrics()?.publish();
  return { after: flush, onError: flush };
};

/**
 * The same two jobs without middy, for the connector handler's hot path: the Lambda context into
 * the logger before the handler, the invocation's metrics published after it, whether it returned
 * or threw. middy's request object, abort controller and hook loop cost about as much per
 * invocation as everything else the runtime adds to a batch of 10 (bench:runtime, profiled with
 * `node --cpu-prof`, bench/reports/latest.md).
 */
export const withInvocationObservability =
  <E, R>(logger: PowertoolsLogger, metrics: () => InvocationMetrics | undefined, handler: (event: E, context: Context) => Promise<R>) =>
  async (event: E, context: Context): Promise<R> => {
    if (context?.awsRequestId) logger.addContext(context);
    try {
      return await handler(event, context);
    } finally {
      metrics()?.publish();
    }
  };
