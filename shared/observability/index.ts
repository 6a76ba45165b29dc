export { createRootLogger, withKeys } from "./logger";
export { InvocationMetrics, createMetrics } from "./metrics";
export { clearSecretValues, containsSecret, redact, registerSecretValues } from "./redaction";
