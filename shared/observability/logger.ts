import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { Logger } from "../connector";
import { redact } from "./redaction";

/**
 * Structured JSON logs (Powertools Logger) with secret redaction on every string, and per-record
 * correlation keys passed with each call rather than through `appendKeys`, which is instance state
 * and would mix keys up between records processed in parallel (serverless-aws.md section 1.4).
 */
export const createRootLogger = (serviceName?: string): PowertoolsLogger =>
  new PowertoolsLogger({
    ...(serviceName ? { serviceName } : {}),
    jsonReplacerFn: (_key: string, value: unknown) => {
      if (typeof value === "string") return redact(value);
      if (typeof value === "bigint") return value.toString();
      if (value instanceof Error) return { name: value.name, message: redact(value.message), code: (value as { code?: unknown }).code };
      return value;
    },
  });

/** A logger that adds fixed correlation keys (envelope id, connector, integration) to each line. */
export const withKeys = (root: PowertoolsLogger, keys: Record<string, unknown>): Logger => ({
  debug: (message, extra) => root.debug(message, { ...keys, ...extra }),
  info: (message, extra) => root.info(message, { ...keys, ...extra }),
  warn: (message, extra) => root.warn(message, { ...keys, ...extra }),
  error: (message, extra) => root.error(message, { ...keys, ...extra }),
});
