import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, send } from "../../common";
import type { TokenStore } from "./token-store";

/** A registered OAuth client (client credentials grant). */
export interface OAuthClient {
  id: string;
  secret: string;
}

/** Texts of thephpleague/oauth2-server `OAuthServerException` (docs/reference/oro-api.md §1.2). */
const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";
const INVALID_CLIENT = "Client authentication failed";
const UNSUPPORTED_GRANT = "The authorization grant type is not supported by the authorization server.";

const JSON_TYPE = "application/json; charset=UTF-8";

function leagueError(res: ServerResponse, status: number, error: string, message: string, hint?: string, headers: Record<string, string> = {}): void {
  const body: Record<string, string> = { error, error_description: message, message };
  if (hint) body.hint = hint;
  send(res, status, body, { "Cache-Control": "no-store", ...headers }, JSON_TYPE);
}

async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
  const raw = await readBody(req, 1024 * 1024);
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (contentType.includes("json")) {
    // JSON bodies are decoded by FOSRest's body listener (docs/reference/oro-api.md §1.2).
    try {
      const parsed: unknown = JSON.parse(raw || "{}");
      if (typeof parsed !== "object" || parsed === null) return {};
      return Object.fromEntries(
        Object.entries(parsed)
          .filter(([, v]) => typeof v === "string" || typeof v === "number")
          .map(([k, v]) => [k, String(v)]),
      );
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/**
 * `POST /oauth2-token` (no `/admin` prefix), client credentials grant, with the client given in a
 * JSON body, a form body, or HTTP Basic. Sources: oauth2@6.1 no_frontend_routes.yml,
 * ClientCredentialsOAuthServerTest.php; doc@6.1:api/authentication/oauth-client-credentials.md.
 */
export async function handleTokenRequest(req: IncomingMessage, res: ServerResponse, clients: readonly OAuthClient[], tokens: TokenStore): Promise<void> {
  if (req.method === "OPTIONS") {
    send(res, 200, null, { Allow: "OPTIONS, POST", "Access-Control-Allow-Methods": "OPTIONS, POST" });
    return;
  }
  if (req.method !== "POST") {
    send(res, 405, null, { Allow: "OPTIONS, POST" });
    return;
  }
  const params = await readParams(req);
  const basic = basicCredentials(req);
  const grantType = params.grant_type;
  if (!grantType) return leagueError(res, 400, "unsupported_grant_type", UNSUPPORTED_GRANT, "Check that all required parameters have been provided");
  if (grantType !== "client_credentials")
    return leagueError(res, 400, "unsupported_grant_type", UNSUPPORTED_GRANT, "Check that all required parameters have been provided");
  const clientId = basic?.id ?? params.client_id;
  const clientSecret = basic?.secret ?? params.client_secret;
  if (clientId === undefined) return leagueError(res, 400, "invalid_request", INVALID_REQUEST, "Check the `client_id` parameter");
  const client = clients.find((c) => c.id === clientId);
  if (!client || !clientSecret || client.secret !== clientSecret) {
    // league adds a Basic challenge when the client authenticated through the Authorization header.
    return leagueError(res, 401, "invalid_client", INVALID_CLIENT, undefined, basic ? { "WWW-Authenticate": 'Basic realm="OAuth"' } : {});
  }
  const { accessToken, expiresIn } = tokens.issue(client.id);
  send(res, 200, { token_type: "Bearer", expires_in: expiresIn, access_token: accessToken }, { "Cache-Control": "no-store", Pragma: "no-cache" }, JSON_TYPE);
}
