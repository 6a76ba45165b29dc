import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "../common";
import { sendError } from "./http";
import type { AkeneoTokens } from "./state";

/** Credentials the sandbox accepts (one connection: client id/secret + its API user). */
export interface AkeneoCredentials {
  clientId: string;
  secret: string;
  username: string;
  password: string;
}

/** TokenController::CONTENT_MAX_SIZE: a token request body above 200 bytes is refused. */
export const TOKEN_BODY_MAX_BYTES = 200;

/** Grant types a connection's client may use (Akeneo creates API clients with these two). */
const CLIENT_GRANT_TYPES = new Set(["password", "refresh_token"]);

/** oauth2-php GRANT_TYPE_REGEXP: anything else counts as a missing grant_type. */
const GRANT_TYPE = /^(authorization_code|token|password|client_credentials|refresh_token|https?:\/\/.+|urn:.+)$/;

type OAuthError = "invalid_request" | "invalid_client" | "unauthorized_client" | "invalid_grant";

/**
 * Akeneo's messages for oauth2-php's error codes (TokenController::getErrorMessage); the
 * refresh_token grant has its own wording for two of them. Every refusal is a 422.
 */
const message = (error: OAuthError, grantType: unknown): string => {
  const refresh = grantType === "refresh_token";
  switch (error) {
    case "invalid_request":
      return refresh
        ? 'Parameter "grant_type" or "refresh_token" is missing or empty'
        : 'Parameter "grant_type", "username" or "password" is missing, empty or invalid';
    case "invalid_client":
      return 'Parameter "client_id" is missing or does not match any client, or secret is invalid';
    case "unauthorized_client":
      return "This grant type is not authorized for this client";
    case "invalid_grant":
      return refresh ? "Refresh token is invalid or has expired" : "No user found for the given username and password";
  }
};

/** The body as Symfony's Request sees it: JSON (Akeneo's body listener) or a form; anything else is empty. */
const parseBody = (raw: string, type: string | undefined): Record<string, unknown> => {
  const mediaType = (type ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType === "application/x-www-form-urlencoded") return Object.fromEntries(new URLSearchParams(raw));
  if (mediaType === "application/json") {
    try {
      const parsed = JSON.parse(raw) as unknown;
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return {};
};

/** A scalar parameter as oauth2-php's FILTER_REQUIRE_SCALAR reads it: non-empty string, else missing. */
const scalar = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;

/** Basic credentials (PHP_AUTH_USER / PHP_AUTH_PW), when the header carries a user. */
const basicCredentials = (header: string | undefined): [string, string] | undefined => {
  const encoded = /^Basic\s+(.+)$/i.exec(header ?? "")?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  return user === "" ? undefined : [user, colon < 0 ? "" : decoded.slice(colon + 1)];
};

/**
 * `POST /api/oauth/v1/token` (pim-community-dev Tool/Bundle/ApiBundle/Controller/TokenController.php
 * over FriendsOfSymfony/oauth2-php lib/OAuth2.php grantAccessToken). Checks in oauth2-php's order:
 * body size, grant_type, client credentials (Basic header first, else `client_id` /
 * `client_secret` in the body), the grant type allowed for the client, then the grant itself.
 * Success: the token JSON with `Cache-Control: no-store` and `Pragma: no-cache`.
 */
export const handleToken = async (req: IncomingMessage, res: ServerResponse, credentials: AkeneoCredentials, tokens: AkeneoTokens): Promise<void> => {
  const raw = await readBody(req);
  if (Buffer.byteLength(raw) > TOKEN_BODY_MAX_BYTES) return sendError(res, 422, "The request content size is too large");
  const body = parseBody(raw, req.headers["content-type"]);
  const refuse = (error: OAuthError) => sendError(res, 422, message(error, body.grant_type));

  const grantType = scalar(body.grant_type);
  if (!grantType || !GRANT_TYPE.test(grantType)) return refuse("invalid_request");

  const basic = basicCredentials(req.headers.authorization);
  const bodyClientId = scalar(body.client_id);
  if (!basic && !bodyClientId) return refuse("invalid_client");
  const [clientId, secret] = basic ?? [bodyClientId as string, scalar(body.client_secret) ?? ""];
  if (clientId !== credentials.clientId || secret !== credentials.secret) return refuse("invalid_client");
  if (!CLIENT_GRANT_TYPES.has(grantType)) return refuse("unauthorized_client");

  const headers = { "Cache-Control": "no-store", Pragma: "no-cache" };
  if (grantType === "password") {
    const username = scalar(body.username);
    const password = scalar(body.password);
    if (!username || !password) return refuse("invalid_request");
    if (username !== credentials.username || password !== credentials.password) return refuse("invalid_grant");
    return sendJson(res, 200, tokens.issue(clientId, username, "password"), headers);
  }
  const refreshToken = scalar(body.refresh_token);
  if (!refreshToken) return refuse("invalid_request");
  const user = tokens.useRefresh(refreshToken, clientId);
  if (!user) return refuse("invalid_grant");
  return sendJson(res, 200, tokens.issue(clientId, user, "refresh_token"), headers);
};
