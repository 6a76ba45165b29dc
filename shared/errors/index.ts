/**
 * Typed errors shared by every connector. The runtime decides what happens to an SQS record from
 * the kind of error its handler threw:
 *
 * - `TransientError` (network, timeout, 408, 429, 5xx, ...): the record is retried through SQS with
 *   backoff; after `maxReceiveCount` receives SQS moves it to the DLQ.
 * - `PermanentError` (bad input, validation, unknown type, ...): retrying cannot help, so the runtime
 *   sends the message to the DLQ itself, with the reason, and acknowledges it.
 * - Anything else counts as transient: an unknown failure is retried, never silently dropped.
 *
 * Messages must be actionable and must never contain secret values.
 */

/** What an alert in Oro is about; the notifier uses it as the alert's `alertType`. */
export type AlertType = "sync" | "auth" | "validation" | "connection" | "mapping" | "configuration" | "permission";

export interface ConnectorErrorOptions {
  cause?: unknown;
  /** Machine-readable code, e.g. `ORO_VALIDATION`, `HTTP_503`, `SCHEMA_INVALID`. */
  code?: string;
  /** What kind of alert this failure raises in Oro. */
  alertType?: AlertType;
  /** The record this failure is about, so alerts can name it and dedup on it. */
  itemId?: number;
  externalId?: string;
  /** Extra, non-secret facts for logs and alerts. */
  details?: Record<string, unknown>;
}

/** Base class of every error the runtime understands. */
export abstract class ConnectorError extends Error {
  abstract readonly kind: "transient" | "permanent";
  readonly code: string;
  readonly alertType: AlertType;
  readonly itemId: number | undefined;
  readonly externalId: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  protected constructor(message: string, defaults: { code: string; alertType: AlertType }, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? defaults.code;
    this.alertType = options.alertType ?? defaults.alertType;
    this.itemId = options.itemId;
    this.externalId = options.externalId;
    this.details = options.details;
  }
}

/** Retrying later may succeed: network failures, timeouts, throttling, 5xx. */
export class TransientError extends ConnectorError {
  readonly kind = "transient" as const;
  override name = "TransientError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "TRANSIENT", alertType: "sync" }, options);
  }
}

/** Retrying cannot help: the input or the target rejects the record as it is. */
export class PermanentError extends ConnectorError {
  readonly kind = "permanent" as const;
  override name = "PermanentError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "PERMANENT", alertType: "sync" }, options);
  }
}

/** The message body is not JSON, or not a valid envelope / connector message. */
export class MalformedMessageError extends PermanentError {
  override name = "MalformedMessageError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "MALFORMED_MESSAGE", alertType: "validation", ...options });
  }
}

/** The message names a connector or message type this function does not handle. */
export class UnknownMessageTypeError extends PermanentError {
  override name = "UnknownMessageTypeError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "UNKNOWN_MESSAGE_TYPE", alertType: "configuration", ...options });
  }
}

/**
 * A chain of hand-overs to the connector's own queue (pages, continuations) passed the connector's
 * hop cap: the connector is looping, or the window is larger than the cap allows. Dead-lettered,
 * so a bug cannot loop forever (Lambda's own loop detection is off for such functions).
 */
export class ChainTooLongError extends PermanentError {
  override name = "ChainTooLongError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "CHAIN_TOO_LONG", alertType: "configuration", ...options });
  }
}

/** A record fails validation in the target system or in a mapping (names the field). */
export class ValidationError extends PermanentError {
  override name = "ValidationError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "VALIDATION", alertType: "validation", ...options });
  }
}

/** Credentials are wrong or missing (after one forced refresh). Retried, since an operator can fix the secret. */
export class AuthError extends TransientError {
  override name = "AuthError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "AUTH", alertType: "auth", ...options });
  }
}

/** A secret or setting is missing or has the wrong shape. Retried: fixing the secret fixes the record. */
export class ConfigurationError extends TransientError {
  override name = "ConfigurationError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "CONFIGURATION", alertType: "configuration", ...options });
  }
}

/** True when retrying cannot help. Unknown errors are transient. */
export const isPermanent = (error: unknown): boolean => error instanceof ConnectorError && error.kind === "permanent";

/** The error's code, or `UNKNOWN` for errors the runtime did not type. */
export const errorCode = (error: unknown): string => (error instanceof ConnectorError ? error.code : "UNKNOWN");

/**
 * A human-readable reason: the error's own message (its name when the message is empty), or
 * `String(value)` for a non-Error. Causes are not appended: a typed error already says why in its
 * message, and a cause's text may carry what the message was written to leave out.
 */
export const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  return error.message || error.name;
};
