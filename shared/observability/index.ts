export { createRootLogger, withKeys } from "./logger";
export { InvocationMetrics, createMetrics } from "./metrics";
export { clearSecretValues, redact, registerSecretValues } from "./redaction";
