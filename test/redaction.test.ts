import { describe, expect, it } from "vitest";
import { alertMessage } from "../functions/notifier";
import { scanForSecrets } from "../proof/secrets-scan";
import { AkeneoClient } from "../shared/integrations/akeneo";
import { ErpClient } from "../shared/integrations/erp";
import { SecretRedactor, redact, registerSecretValues } from "../shared/observability";
import { OroTokenSource } from "../shared/oro";
import { startTestServer } from "./helpers/http-test-server";

/**
 * Redaction (issue 15 points 1 and 6): every form a secret takes when an upstream echoes it is
 * masked, issued OAuth tokens are registered, and texts are redacted before they are cut. Each
 * leak check is the proofs' secret scan, which knows every encoding and looks for partial secrets.
 */
// A character that changes under each encoding: "/" (PHP \/, %2F), "é" (\u00e9, %C3%A9), space
// (+ in forms), "%" (double encoding), '"' and "\\" (JSON), "+" and "=" (forms, base64).
const SECRET = 'Pr00f/Sé cret+"q\\%x=1&y';
const independent: Record<string, (s: string) => string> = {
  raw: (s) => s,
  url: (s) => encodeURIComponent(s),
  "url-lower": (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  form: (s) => new URLSearchParams({ v: s }).toString().slice(2),
  "url-double": (s) => encodeURIComponent(encodeURIComponent(s)),
  json: (s) => JSON.stringify(s).slice(1, -1),
  // What PHP's json_encode($s) writes between the quotes, by hand for this secret.
  "php-json": () => 'Pr00f\\/S\\u00e9 cret+\\"q\\\\%x=1&y',
  // With Symfony JsonResponse's JSON_HEX_* flags.
  "php-json-hex": () => "Pr00f\\/S\\u00e9 cret+\\u0022q\\\\%x=1\\u0026y",
  hex: (s) => Buffer.from(s).toString("hex"),
  "hex-upper": (s) => Buffer.from(s).toString("hex").toUpperCase(),
  "basic-header": (s) => `Authorization: Basic ${Buffer.from(`client-7:${s}`).toString("base64")}`,
  "basic-header-2": (s) => `basic ${Buffer.from(`ab:${s}`).toString("base64")}`,
  base64url: (s) => Buffer.from(`x${s}`).toString("base64url"),
};

// The masking itself on a registry of its own per test; the clients below register into the process's.
describe("Class: SecretRedactor", () => {
  it("masks a secret in every form an upstream can echo it in", () => {
    const r = new SecretRedactor();
    r.registerSecretValues({ clientSecret: SECRET });
    for (const [form, encode] of Object.entries(independent)) {
      const line = `upstream said: ${encode(SECRET)} (end)`;
      expect(scanForSecrets({ secrets: [SECRET], lines: [line] }).hits.length, `${form} planted`).toBeGreaterThan(0);
      const masked = r.redact(line);
      expect(masked, form).toContain("***");
      expect(scanForSecrets({ secrets: [SECRET], lines: [masked] }).hits, form).toEqual([]);
    }
  });

  it("registers sensitive values at any depth, and leaves identifiers readable", () => {
    const r = new SecretRedactor();
    r.registerSecretValues({
      baseUrl: "https://pim.example.com",
      clientId: "client-1",
      oauth: { credentials: [{ refresh: "rt-deep-0123456789" }] },
      nested: { private: { pem: "-----BEGIN KEY-----abc" } },
    });
    expect(r.redact("client-1 https://pim.example.com rt-deep-0123456789 -----BEGIN KEY-----abc")).toBe("client-1 https://pim.example.com *** ***");
  });

  it("masks registered tokens, keeping the 32 most recent", () => {
    const r = new SecretRedactor();
    for (let i = 0; i < 40; i += 1) r.registerToken(`token-${String(i).padStart(2, "0")}-abcdefghijklmnop`);
    expect(r.redact("token-39-abcdefghijklmnop")).toBe("***");
    expect(r.redact("token-08-abcdefghijklmnop")).toBe("***");
    expect(r.redact("token-07-abcdefghijklmnop")).toBe("token-07-abcdefghijklmnop");
  });

  it("redacts before it cuts: a secret across the cut leaves no prefix behind", () => {
    const r = new SecretRedactor();
    r.registerSecretValues({ apiKey: SECRET });
    const text = `${"x".repeat(90)}${SECRET}${"y".repeat(50)}`;
    const cut = r.redactAndCut(text, 100);
    expect(cut).toBe(`${"x".repeat(90)}***yyyyyy…`);
    // The old order (cut, then redact) kept the first characters of the secret.
    expect(r.redact(text.slice(0, 100))).toBe(`${"x".repeat(90)}${SECRET.slice(0, 10)}`);
    expect(scanForSecrets({ secrets: [SECRET], lines: [r.redact(text.slice(0, 100))] }).hits.map((h) => h.form)).toEqual(["partial"]);
  });

  it("the notifier's alert text redacts the reason before it cuts it", () => {
    registerSecretValues({ apiKey: SECRET });
    const message = `${"r".repeat(990)}${SECRET} and more`;
    const text = alertMessage({
      count: 1,
      firstSeenAt: "2026-01-01T00:00:00Z",
      lastSeenAt: "2026-01-01T00:00:00Z",
      latest: {
        version: 1,
        kind: "failure",
        integration: "i",
        entity: "orders",
        operation: "export",
        step: "s",
        connector: "c",
        code: "X",
        alertType: "sync",
        message,
        attempts: 1,
        disposition: "permanent",
        dlq: "d",
        occurredAt: "2026-01-01T00:00:00Z",
      },
    });
    expect(text).toContain(`${"r".repeat(990)}*** and m… The message is in DLQ d`);
    expect(scanForSecrets({ secrets: [SECRET], lines: [text] }).hits).toEqual([]);
  });
});

describe("Client error texts: tokens and cut secrets", () => {
  it("Akeneo: a 400 echoing the request's bearer token across the 300-character cut leaks no part of it; both tokens are registered", async () => {
    const tokens = { access: "akeneo-access-Tok/+=0123456789abcdef", refresh: "akeneo-refresh-Tok/+=fedcba9876543210" };
    const server = await startTestServer((req, res): unknown => {
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/api/oauth/v1/token"))
        return res.end(JSON.stringify({ access_token: tokens.access, refresh_token: tokens.refresh, expires_in: 3600 }));
      res.statusCode = 400;
      // A proxy that echoes the request headers, the token right at the excerpt's edge.
      return res.end(JSON.stringify({ message: `${"p".repeat(280)} you sent ${String(req.headers.authorization).replace("Bearer ", "")} as the token` }));
    });
    try {
      const client = new AkeneoClient(async () => ({
        baseUrl: server.url,
        clientId: "c-1",
        secret: "akeneo-client-secret-000",
        username: "connector",
        password: "akeneo-password-000",
      }));
      const error = (await client.product("p-1").catch((e: unknown) => e)) as Error;
      expect(error.message).toContain("Akeneo rejected GET");
      expect(scanForSecrets({ secrets: [tokens.access, tokens.refresh], lines: [error.message] }).hits).toEqual([]);
      expect(redact(`refresh ${tokens.refresh} and ${encodeURIComponent(tokens.access)}`)).toBe("refresh *** and ***");
    } finally {
      await server.close();
    }
  });

  it("ERP: an error message echoing the API key across the 200-character cut leaks no part of it", async () => {
    const apiKey = 'erp-Key/+é"0123456789';
    registerSecretValues({ apiKey }); // as the secret store does when it loads the integration secret
    const server = await startTestServer((_req, res) => {
      res.statusCode = 400;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ error: { code: "bad_request", message: `${"e".repeat(180)} key ${apiKey} is not allowed here` } }));
    });
    try {
      const erp = new ErpClient(async () => ({ baseUrl: server.url, apiKey, maxConnections: 1 }), { retry: { attempts: 1 } });
      const error = (await erp.listStock({}).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/^ERP answered GET \/stock with HTTP 400 \(bad_request: e+/);
      expect(scanForSecrets({ secrets: [apiKey], lines: [error.message] }).hits).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("Oro: the issued access token is registered for redaction", async () => {
    const token = "oro-access-Tok.eyJhbGciOi/+=0123456789";
    const server = await startTestServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ token_type: "Bearer", expires_in: 3600, access_token: token }));
    });
    try {
      const source = new OroTokenSource(async () => ({
        baseUrl: server.url,
        apiPrefix: "/admin/api",
        clientId: "oro-1",
        clientSecret: "oro-client-secret-000",
      }));
      expect((await source.get()).token).toBe(token);
      expect(redact(`Authorization: Bearer ${token}; again as ${JSON.stringify(token)}`)).toBe('Authorization: Bearer ***; again as "***"');
    } finally {
      await server.close();
    }
  });
});
