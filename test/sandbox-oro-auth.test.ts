import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

const CLIENT_ID = "auth-test-client";
const CLIENT_SECRET = "auth-test-secret-value";

let oro: OroSandbox;
beforeAll(async () => {
  oro = await startOroSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
});
afterAll(async () => {
  await oro.stop();
});

const tokenRequest = (init: RequestInit) => fetch(`${oro.url}/oauth2-token`, { method: "POST", ...init });

describe("Oro sandbox: POST /oauth2-token", () => {
  it("issues a Bearer token for a JSON body with expires_in 3600", async () => {
    const response = await tokenRequest({
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(3600);
    expect(body).not.toHaveProperty("refresh_token");
    const [header, payload] = String(body.access_token).split(".");
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toMatchObject({ typ: "JWT", alg: "RS256" });
    expect(JSON.parse(Buffer.from(payload ?? "", "base64url").toString())).toMatchObject({ aud: CLIENT_ID });
  });

  it("accepts a form-urlencoded body", async () => {
    const response = await tokenRequest({
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: CLIENT_SECRET }).toString(),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, unknown>).access_token).toMatch(/\./);
  });

  it("accepts HTTP Basic client authentication", async () => {
    const response = await tokenRequest({
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    expect(response.status).toBe(200);
  });

  it("answers invalid_client 401 for a wrong secret, without echoing it", async () => {
    const response = await tokenRequest({
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", client_id: CLIENT_ID, client_secret: "wrong-secret-xyz" }),
    });
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "invalid_client", message: "Client authentication failed", error_description: "Client authentication failed" });
    expect(text).not.toContain("wrong-secret-xyz");
  });

  it("answers invalid_request 400 with a client_id hint when client_id is missing", async () => {
    const response = await tokenRequest({ headers: { "Content-Type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials" }) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe("invalid_request");
    expect(body.hint).toBe("Check the `client_id` parameter");
  });

  it("answers unsupported_grant_type for another grant", async () => {
    const response = await tokenRequest({
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ grant_type: "password", client_id: CLIENT_ID }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Record<string, unknown>).error).toBe("unsupported_grant_type");
  });
});

describe("Oro sandbox: API authentication and media types", () => {
  it("answers 401 with an empty body and WWW-Authenticate without a token", async () => {
    const response = await fetch(`${oro.url}/admin/api/products`, { headers: { Accept: "application/vnd.api+json" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBeTruthy();
    expect(await response.text()).toBe("");
  });

  it("answers 401 for an unknown token and after forced expiry", async () => {
    const api = sandboxCaller(oro, CLIENT_ID, CLIENT_SECRET);
    expect((await api.get("/products?page[size]=1")).status).toBe(200);
    const bad = await fetch(`${oro.url}/admin/api/products`, { headers: { Authorization: "Bearer WRONG_KEY" } });
    expect(bad.status).toBe(401);
    const { revoked } = await oro.admin.expireTokens();
    expect(revoked).toBeGreaterThanOrEqual(1);
    const expired = await api.get("/products?page[size]=1");
    expect(expired.status).toBe(401);
    expect(expired.text).toBe("");
    api.forgetToken();
    expect((await api.get("/products?page[size]=1")).status).toBe(200);
  });

  it("expires tokens after tokenTtlSeconds", async () => {
    const short = await startOroSandbox({ clientId: "c", clientSecret: "s", tokenTtlSeconds: 1, seed: false });
    try {
      const api = sandboxCaller(short, "c", "s");
      expect((await api.get("/productunits")).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await api.get("/productunits")).status).toBe(401);
    } finally {
      await short.stop();
    }
  });

  it("does not accept back-office tokens on the storefront prefix /api", async () => {
    const api = sandboxCaller(oro, CLIENT_ID, CLIENT_SECRET);
    const response = await api.call("GET", `${oro.url}/api/products`);
    expect(response.status).toBe(401);
  });

  it("answers 415 for Content-Type parameters and 406 for an Accept without JSON:API", async () => {
    const api = sandboxCaller(oro, CLIENT_ID, CLIENT_SECRET);
    const withParam = await api.post(
      "/customers",
      { data: { type: "customers", attributes: { name: "X" } } },
      { "Content-Type": "application/vnd.api+json; charset=utf-8" },
    );
    expect(withParam.status).toBe(415);
    expect(withParam.json.errors[0].detail).toBe('The "Content-Type" request header should contain JSON:API media type without any parameters.');
    const notAcceptable = await api.get("/customers", { Accept: "text/html" });
    expect(notAcceptable.status).toBe(406);
    const ok = await api.get("/customers");
    expect(ok.headers.get("content-type")).toBe("application/vnd.api+json");
  });
});
