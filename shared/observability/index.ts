export { createRootLogger, withKeys } from "./logger";
export type { Logger } from "./logger";
export { EmfMetrics, InvocationMetrics, createMetrics } from "./metrics";
export type { MetricsSink, MetricUnitName } from "./metrics";
export { connectorMetricDimensions, connectorServiceName, resolveServiceName } from "./service-name";
export { SecretRedactor, defaultRedactor, redact, redactAndCut, registerSecretValues, registerToken } from "./redaction";
export { base64Cores, phpJsonEscape, secretForms } from "./secret-forms";
export type { SecretForm, SecretFormName } from "./secret-forms";
