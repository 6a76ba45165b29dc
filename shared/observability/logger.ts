import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { resolveServiceName } from "./service-name";
import { redact } from "./redaction";

/** The logger a connector and the runtime write to; the runtime's (createRootLogger behind withKeys) writes JSON with every string redacted. */
export interface Logger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/**
 * Structured JSON logs (Powertools Logger) with secret redaction on every string, and per-record
 * correlation keys passed with each call rather than through `appendKeys`, which is instance state
 * and would mix keys up between records processed in parallel (docs/reference/aws.md §1.4).
 */
export const createRootLogger = (fallbackServiceName?: string): PowertoolsLogger => {
  // POWERTOOLS_SERVICE_NAME (set by the stack) wins over the code's name: see resolveServiceName.
  const serviceName = resolveServiceName(fallbackServiceName);
  return new PowertoolsLogger({
    ...(serviceName ? { serviceName } : {}),
    jsonReplacerFn: (_key: string, value: unknown) => {
      if (typeof value === "string") return redact(value);
      if (typeof value === "bigint") return value.toString();
      if (value instanceof Error) return errorForLog(value);
      return value;
    },
  });
};

/** Frames of a stack kept in a log line: enough to find the code, short enough to read. */
const STACK_FRAMES = 8;

/**
 * An error as a log line shows it: name, code and redacted message, and the same of up to two
 * levels of cause. Typed
 * errors (ConnectorError: `kind` is set) are expected outcomes and carry no stack; anything else
 * is a bug or a library failure, so its first frames are kept.
 */
const errorForLog = (error: Error, depth = 0): Record<string, unknown> => {
  const typed = "kind" in error;
  const cause = (error as { cause?: unknown }).cause;
  return {
    name: error.name,
    message: redact(error.message),
    ...((error as { code?: unknown }).code !== undefined ? { code: (error as { code?: unknown }).code } : {}),
    ...(!typed && error.stack
      ? {
          stack: redact(
            error.stack
              .split("\n")
              .slice(1, STACK_FRAMES + 1)
              .map((line) => line.trim())
              .join(" | "),
          ),
        }
      : {}),
    ...(cause instanceof Error && depth < 2 ? { cause: errorForLog(cause, depth + 1) } : {}),
  };
};

/** A logger that adds fixed correlation keys (envelope id, connector, integration) to each line. */
export const withKeys = (root: PowertoolsLogger, keys: Record<string, unknown>): Logger => ({
  debug: (message, extra) => root.debug(message, { ...keys, ...extra }),
  info: (message, extra) => root.info(message, { ...keys, ...extra }),
  warn: (message, extra) => root.warn(message, { ...keys, ...extra }),
  error: (message, extra) => root.error(message, { ...keys, ...extra }),
});
