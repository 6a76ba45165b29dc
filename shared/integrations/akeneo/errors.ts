import { AuthError, PermanentError } from "../../errors";
import type { ConnectorErrorOptions } from "../../errors";

/** Akeneo refused the credentials (token request) or the token (after one refresh). Retried: an operator fixes the secret. */
export class AkeneoAuthError extends AuthError {
  override name = "AkeneoAuthError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "AKENEO_AUTH", ...options });
  }
}

/** Akeneo rejected a request as malformed (400/422: a bad search, a bad limit) or answered 404. */
export class AkeneoRequestError extends PermanentError {
  override name = "AkeneoRequestError";
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, { code: "AKENEO_REQUEST", alertType: "configuration", ...options });
  }
}
