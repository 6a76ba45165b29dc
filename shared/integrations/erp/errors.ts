import { AuthError, PermanentError, TransientError, ValidationError } from "../../errors";
import type { ConnectorErrorOptions } from "../../errors";
import type { ErpFieldError } from "./contract";

/**
 * Typed ERP failures. The kind decides what the runtime does: validation and contract misuse are
 * permanent (DLQ + alert naming the field), auth is retried (an operator can fix the secret),
 * throttling and 5xx come from the shared transport as transient `HttpError`s.
 */

/** 422 `validation_failed`: the ERP rejected fields of the order. Names each field. */
export class ErpValidationError extends ValidationError {
  override name = "ErpValidationError";
  readonly fields: ErpFieldError[];
  constructor(what: string, fields: ErpFieldError[], options: ConnectorErrorOptions = {}) {
    const list = fields.map((f) => `${f.field}: ${f.message}`).join("; ");
    super(`ERP rejected ${what}: ${list || "validation failed"}. Fix the record in Oro (or the mapping) and redrive the message.`, {
      code: "ERP_VALIDATION",
      details: { fields },
      ...options,
    });
    this.fields = fields;
  }
}

/**
 * 422 `idempotency_key_reused`: the key was used before with a different body. The connector
 * derives keys from the body, so this means a bug or a second producer using the same keys.
 */
export class ErpIdempotencyConflictError extends PermanentError {
  override name = "ErpIdempotencyConflictError";
  constructor(key: string, options: ConnectorErrorOptions = {}) {
    super(`ERP refused Idempotency-Key "${key}": it was used before with a different request body. Check that no other producer reuses this key.`, {
      code: "ERP_IDEMPOTENCY_KEY_REUSED",
      alertType: "configuration",
      ...options,
    });
  }
}

/** 401 even after reloading the secret: the API key is wrong or revoked. */
export class ErpAuthError extends AuthError {
  override name = "ErpAuthError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "ERP_AUTH", ...options });
  }
}

/** Any other 4xx: the same request would get the same answer. */
export class ErpRequestError extends PermanentError {
  override name = "ErpRequestError";
  readonly status: number;
  constructor(message: string, status: number, options: ConnectorErrorOptions = {}) {
    super(message, { code: `ERP_HTTP_${status}`, ...options });
    this.status = status;
  }
}

/** The ERP answered 2xx with a body that breaks the contract (a proxy page?), or 409 `request_in_progress`. Retried. */
export class ErpResponseError extends TransientError {
  override name = "ErpResponseError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "ERP_BAD_RESPONSE", alertType: "connection", ...options });
  }
}
