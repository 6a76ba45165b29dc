/**
 * The service name a function logs and publishes metrics under: `POWERTOOLS_SERVICE_NAME` as the
 * CDK stack sets it (a connector's is `<integration>-<connector>`, so two integrations of one
 * connector type stay apart), else the code's own name (local stack, tests). Powertools itself
 * lets a name passed in code win over the variable, which silently ignored the stack's.
 */
export const resolveServiceName = (fallback: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env.POWERTOOLS_SERVICE_NAME?.trim() || fallback;

/** POWERTOOLS_SERVICE_NAME the stack gives a connector function. */
export const connectorServiceName = (integration: string, connector: string): string => `${integration}-${connector}`;

/**
 * The EMF dimensions of a deployed connector's metrics: Powertools' `service` plus the runtime's
 * `connector` and `integration` (shared/runtime/handler.ts). The CloudWatch dashboard reads the
 * metrics by exactly this set; a metric is only found under its full dimension set.
 */
export const connectorMetricDimensions = (integration: string, connector: string): Record<string, string> => ({
  service: connectorServiceName(integration, connector),
  connector,
  integration,
});
