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
