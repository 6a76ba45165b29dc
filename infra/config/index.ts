export { loadDeployConfig, checkAgainstRegistry } from "./load";
export { resolveConnectorSettings, resolveConnector, resolveShared, resolveWebhookRoutes, RESERVED_SETTINGS_KEYS, NOTIFIER_TIMEOUT_SECONDS } from "./resolve";
export type { ResolvedConnector, ResolvedQueue, ResolvedSchedule, ResolvedShared } from "./resolve";
export {
  DeployConfigSchema,
  ConnectorOverridesSchema,
  IntegrationConfigSchema,
  WebhookConfigSchema,
  WebhookRouteSchema,
  VpcPlacementSchema,
  scheduleExpressionProblem,
  rateIntervalMinutes,
} from "./schema";
export type { DeployConfig, ConnectorOverrides, IntegrationConfig, VpcPlacement, WebhookConfig, WebhookRoute } from "./schema";
export { DeployConfigError, formatPath } from "./errors";
export type { DeployConfigIssue } from "./errors";
export { REPO_ROOT, connectorEntry, defaultConnectorEntry, registryIntegrationTypes } from "./registry";
export type { ConnectorRegistry } from "./registry";
export * as Defaults from "./defaults";
export { DEPLOY_CONFIG_SCHEMA_PATH, deployConfigJsonSchema } from "./json-schema";
