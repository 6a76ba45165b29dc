export { createRootLogger, withKeys } from "./logger";
export { InvocationMetrics, createMetrics } from "./metrics";
export { connectorMetricDimensions, connectorServiceName, resolveServiceName } from "./service-name";
export { clearSecretValues, redact, registerSecretValues } from "./redaction";
