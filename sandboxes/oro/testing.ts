import type { OroSandbox } from "./start";

/** A response as tests look at it. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined for an empty body. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index freely into documents
}

/**
 * A minimal JSON:API caller for tests of the sandbox itself (not the product's Oro client):
 * fetches a token once, sends `application/vnd.api+json`, returns status/headers/body.
 */
export function sandboxCaller(sandbox: Pick<OroSandbox, "url">, clientId: string, clientSecret: string) {
  let token: string | undefined;
  const getToken = async (): Promise<string> => {
    if (token) return token;
    const response = await fetch(`${sandbox.url}/oauth2-token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`Token request failed with ${response.status}.`);
    token = body.access_token;
    return token;
  };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> => {
    const url = path.startsWith("http") ? path : `${sandbox.url}${path.startsWith("/admin/api") ? "" : "/admin/api"}${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${await getToken()}`,
        Accept: "application/vnd.api+json",
        ...(body === undefined ? {} : { "Content-Type": "application/vnd.api+json" }),
        ...headers,
      },
      body: body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  };
  return {
    token: getToken,
    /** Forget the cached token (after forced expiry). */
    forgetToken: () => {
      token = undefined;
    },
    get: (path: string, headers?: Record<string, string>) => call("GET", path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call("POST", path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => call("PATCH", path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => call("DELETE", path, undefined, headers),
    call,
  };
}
