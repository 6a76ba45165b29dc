/**
 * The Oro connection secret's validation and the OAuth2 client-credentials token source
 * (shared/oro/connection.ts, shared/oro/token.ts), through their public API only: a token source
 * against a node:http token endpoint on 127.0.0.1, one server (one origin, so one cache key and one
 * socket pool) per test. Exact messages and counts: what an operator reads and how many token
 * requests Oro sees.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigurationError, TransientError } from "../shared/errors";
import { HttpDeadlineError, HttpError } from "../shared/http";
import { OroAuthError, OroResponseError, OroTokenSource, OroValidationError, parseOroConnection, tokenUrl } from "../shared/oro";
import type { OroConnection } from "../shared/oro";
import { everythingIn, startTestServer } from "./helpers/http-test-server";
import type { TestHandler } from "./helpers/http-test-server";

const SECRET = "token-test-secret-DO-NOT-LEAK";
const EXPECTED_SHAPE = 'Expected {"baseUrl":"https://…","apiPrefix":"/admin/api","clientId":"…","clientSecret":"…","maxConnections"?:8}.';

const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A token endpoint answering with `handler`; counts its requests. */
const tokenEndpoint = async (handler: TestHandler) => {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
};

const json = (res: Parameters<TestHandler>[1], status: number, body: unknown): void => {
  res.writeHead(status, { "content-type": "application/json" }).end(typeof body === "string" ? body : JSON.stringify(body));
};

/** Issues `tok-1`, `tok-2`, ... valid `expiresIn` seconds. */
const issuing =
  (expiresIn: unknown = 3600): TestHandler =>
  (_req, res, n) =>
    json(res, 200, { token_type: "Bearer", expires_in: expiresIn, access_token: `tok-${n + 1}` });

const connectionFor = (url: string, overrides: Partial<OroConnection> = {}): OroConnection => ({
  baseUrl: url,
  apiPrefix: "/admin/api",
  clientId: "client-1",
  clientSecret: SECRET,
  ...overrides,
});

const rejection = async (promise: Promise<unknown>): Promise<Error> => {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof Error)) throw new Error("expected a rejection");
  return outcome;
};

describe("Function: parseOroConnection", () => {
  it("names each bad field and what it must be, with the expected shape", () => {
    const error = (() => {
      try {
        parseOroConnection({ baseUrl: "ftp://x", apiPrefix: "admin", clientId: "", clientSecret: 42, maxConnections: 0 });
      } catch (e) {
        return e as ConfigurationError;
      }
      throw new Error("expected an error");
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe(
      "the Oro connection secret is invalid: baseUrl: must be an http(s) URL; apiPrefix: must be a path starting with /; " +
        "clientId: must be a non-empty string; clientSecret: is missing or not a string; maxConnections: must be an integer from 1 to 256. " +
        EXPECTED_SHAPE,
    );
    expect(error.code).toBe("ORO_CONNECTION_INVALID");
    expect(error.details).toEqual({ fields: ["baseUrl", "apiPrefix", "clientId", "clientSecret", "maxConnections"] });
  });

  it("says which fields are missing, and names the secret it was given", () => {
    expect(() => parseOroConnection({}, "secret oro/prod")).toThrow(
      `secret oro/prod is invalid: baseUrl: must be an http(s) URL; clientId: is missing or not a string; clientSecret: is missing or not a string. ${EXPECTED_SHAPE}`,
    );
    expect(() => parseOroConnection({ baseUrl: "https://oro.example.com", clientId: "a", clientSecret: "b", maxConnections: 1.5 })).toThrow(
      `the Oro connection secret is invalid: maxConnections: must be an integer from 1 to 256. ${EXPECTED_SHAPE}`,
    );
  });

  it("a secret that is not an object is reported at (root)", () => {
    const error = (() => {
      try {
        parseOroConnection("oro-secret-as-plain-text");
      } catch (e) {
        return e as ConfigurationError;
      }
      throw new Error("expected an error");
    })();
    expect(error.message).toBe(`the Oro connection secret is invalid: (root): is missing or not a string. ${EXPECTED_SHAPE}`);
    expect(error.details).toEqual({ fields: [""] });
    expect(everythingIn(error)).not.toContain("oro-secret-as-plain-text");
  });

  it("accepts a platform-only prefix and a socket cap up to 256", () => {
    expect(parseOroConnection({ baseUrl: "http://oro.local", apiPrefix: "/api", clientId: "a", clientSecret: "b", maxConnections: 256 })).toEqual({
      baseUrl: "http://oro.local",
      apiPrefix: "/api",
      clientId: "a",
      clientSecret: "b",
      maxConnections: 256,
    });
  });
});

describe("Function: tokenUrl", () => {
  it("is /oauth2-token at the application root, whatever trailing slashes baseUrl has", () => {
    expect(tokenUrl(connectionFor("https://oro.example.com//"))).toBe("https://oro.example.com/oauth2-token");
    expect(tokenUrl(connectionFor("https://oro.example.com/shop/"))).toBe("https://oro.example.com/shop/oauth2-token");
    expect(tokenUrl(connectionFor("https://oro.example.com"))).toBe("https://oro.example.com/oauth2-token");
  });
});

describe("Class: OroTokenSource", () => {
  it("posts the client credentials as JSON to /oauth2-token and returns the token with its connection", async () => {
    const oro = await tokenEndpoint(issuing());
    const connection = connectionFor(`${oro.url}//`);
    const issued = await new OroTokenSource(async () => connection).get();
    expect(issued).toEqual({ token: "tok-1", connection });
    expect(oro.log.requests).toHaveLength(1);
    const [call] = oro.log.requests;
    expect([call?.method, call?.url]).toEqual(["POST", "/oauth2-token"]);
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(call?.headers.accept).toBe("application/json");
    expect(JSON.parse(call?.body ?? "")).toEqual({ grant_type: "client_credentials", client_id: "client-1", client_secret: SECRET });
  });

  it("retries a 503 of the token endpoint in-call (a token request is retry-safe)", async () => {
    const oro = await tokenEndpoint((req, res, n) => (n === 0 ? json(res, 503, { error: "busy" }) : issuing()(req, res, n)));
    const source = new OroTokenSource(async () => connectionFor(oro.url), { retry: { attempts: 2, baseMs: 1, capMs: 1 } });
    expect((await source.get()).token).toBe("tok-2");
    expect(oro.log.requests).toHaveLength(2);
  });

  it("uses its retry policy: one attempt means a 503 is not retried, and the secret Oro echoed is redacted", async () => {
    const oro = await tokenEndpoint((req, res) => json(res, 503, `upstream saw ${SECRET} and gave up`));
    const source = new OroTokenSource(async () => connectionFor(oro.url), { retry: { attempts: 1 } });
    const error = await rejection(source.get());
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe(`POST ${oro.url}/oauth2-token failed with HTTP 503 after 1 attempt(s): upstream saw [REDACTED] and gave up`);
    expect(oro.log.requests).toHaveLength(1);
    expect(everythingIn(error)).not.toContain(SECRET);
  });

  it("gives up an attempt after its timeoutMs", async () => {
    const oro = await tokenEndpoint(() => undefined);
    const source = new OroTokenSource(async () => connectionFor(oro.url), { retry: { attempts: 1 }, timeoutMs: 50 });
    const error = await rejection(source.get());
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe(`POST ${oro.url}/oauth2-token failed after 1 attempt(s): attempt timed out after 50 ms`);
  });

  it("stops when the caller's signal fires", async () => {
    const oro = await tokenEndpoint(() => undefined);
    const controller = new AbortController();
    const source = new OroTokenSource(async () => connectionFor(oro.url), { retry: { attempts: 1 }, timeoutMs: 30_000 });
    const pending = rejection(source.get(controller.signal));
    // Abort once the request reached the endpoint (a count, not a delay).
    while (oro.log.requests.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort(new Error("deadline"));
    const error = await pending;
    expect(error).toBeInstanceOf(HttpDeadlineError);
    expect(error.message).toBe(
      `POST ${oro.url}/oauth2-token stopped after 1 attempt(s): the call hit its deadline (the caller's abort signal fired, e.g. the Lambda is about to time out); the record will be retried`,
    );
  });

  it("caps sockets to the token endpoint at the connection's maxConnections, else at the source's option", async () => {
    // Four clients of one Oro (four cache keys): their token requests run concurrently up to the cap.
    const hold = async (cap: { connection?: number; option?: number }) => {
      let release: () => void = () => undefined;
      const released = new Promise<void>((r) => {
        release = r;
      });
      const oro = await tokenEndpoint(async (req, res, n) => {
        if (n === 0) await released;
        issuing()(req, res, n);
      });
      const sources = [1, 2, 3, 4].map(
        (i) =>
          new OroTokenSource(
            async () => connectionFor(oro.url, { clientId: `client-${i}`, ...(cap.connection ? { maxConnections: cap.connection } : {}) }),
            cap.option ? { maxConnections: cap.option } : {},
          ),
      );
      const all = Promise.all(sources.map((s) => s.get()));
      // With a cap of 1 the other three wait for the first; a higher cap lets them all reach the server.
      for (let i = 0; i < 50; i += 1) await new Promise((r) => setTimeout(r, 2));
      const seen = oro.log.requests.length;
      release();
      await all;
      return { seen, total: oro.log.requests.length };
    };
    expect(await hold({ connection: 1, option: 8 })).toEqual({ seen: 1, total: 4 });
    expect(await hold({ option: 1 })).toEqual({ seen: 1, total: 4 });
  });

  it("caches the token until expiry minus the skew: refreshed at exactly that instant, not a millisecond earlier", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.UTC(2026, 0, 1);
    vi.setSystemTime(t0);
    const oro = await tokenEndpoint(issuing(3600));
    const source = new OroTokenSource(async () => connectionFor(oro.url));
    expect((await source.get()).token).toBe("tok-1");
    vi.setSystemTime(t0 + 3_600_000 - 30_000 - 1);
    expect((await source.get()).token).toBe("tok-1");
    vi.setSystemTime(t0 + 3_600_000 - 30_000);
    expect((await source.get()).token).toBe("tok-2");
    expect(oro.log.requests).toHaveLength(2);
  });

  it("a custom skew; a short token is kept for half its life", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.UTC(2026, 0, 1);
    vi.setSystemTime(t0);
    const custom = await tokenEndpoint(issuing(100));
    const skewed = new OroTokenSource(async () => connectionFor(custom.url), { expirySkewMs: 10_000 });
    await skewed.get();
    vi.setSystemTime(t0 + 89_999);
    expect((await skewed.get()).token).toBe("tok-1");
    vi.setSystemTime(t0 + 90_000);
    expect((await skewed.get()).token).toBe("tok-2");

    vi.setSystemTime(t0);
    const short = await tokenEndpoint(issuing(10));
    const source = new OroTokenSource(async () => connectionFor(short.url));
    await source.get();
    vi.setSystemTime(t0 + 4_999);
    expect((await source.get()).token).toBe("tok-1");
    vi.setSystemTime(t0 + 5_000);
    expect((await source.get()).token).toBe("tok-2");
  });

  it.each([0, -5, "3600", undefined])("takes a lifetime of one hour when expires_in is %s", async (expiresIn) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.UTC(2026, 0, 1);
    vi.setSystemTime(t0);
    const oro = await tokenEndpoint(issuing(expiresIn));
    const source = new OroTokenSource(async () => connectionFor(oro.url));
    await source.get();
    vi.setSystemTime(t0 + 3_569_999);
    expect((await source.get()).token).toBe("tok-1");
    vi.setSystemTime(t0 + 3_570_000);
    expect((await source.get()).token).toBe("tok-2");
  });

  it("invalidate forgets the cached token only when it is the one given", async () => {
    const oro = await tokenEndpoint(issuing());
    const connection = connectionFor(oro.url);
    const source = new OroTokenSource(async () => connection);
    expect((await source.get()).token).toBe("tok-1");
    // A slow request's 401 for an older token must not evict the current one.
    source.invalidate(connection, "tok-0");
    expect((await source.get()).token).toBe("tok-1");
    expect(oro.log.requests).toHaveLength(1);
    source.invalidate(connection, "tok-1");
    expect((await source.get()).token).toBe("tok-2");
    expect(oro.log.requests).toHaveLength(2);
  });

  it("a 401 other than invalid_client is OroAuthError at once: no secret refresh", async () => {
    for (const [body, code] of [
      [{ error: "invalid_grant" }, "invalid_grant"],
      ["<html>401</html>", "no error code"],
    ] as const) {
      const oro = await tokenEndpoint((_req, res) => json(res, 401, body));
      const asked: Array<boolean | undefined> = [];
      const source = new OroTokenSource(async (o) => {
        asked.push(o?.forceRefresh);
        return connectionFor(oro.url);
      });
      const error = await rejection(source.get());
      expect(error).toBeInstanceOf(OroAuthError);
      expect(error.message).toBe(`Oro's token endpoint ${oro.url}/oauth2-token answered 401 (${code}).`);
      expect((error as OroAuthError).code).toBe("ORO_AUTH");
      expect([(error as OroAuthError).status, (error as OroAuthError).method, (error as OroAuthError).path]).toEqual([401, "POST", "/oauth2-token"]);
      expect(asked).toEqual([undefined]);
    }
  });

  it("a 4xx of the token endpoint is Oro's typed error with its error, description and hint", async () => {
    const oro = await tokenEndpoint((_req, res) =>
      json(res, 400, { error: "invalid_request", error_description: "The grant type is missing.", hint: "Check the grant_type parameter", code: 7 }),
    );
    const asked: Array<boolean | undefined> = [];
    const source = new OroTokenSource(async (o) => {
      asked.push(o?.forceRefresh);
      return connectionFor(oro.url);
    });
    const error = await rejection(source.get());
    expect(error).toBeInstanceOf(OroValidationError);
    expect(error.message).toBe("/oauth2-token: token request failed: invalid_request: The grant type is missing.: Check the grant_type parameter");
    expect([(error as OroValidationError).method, (error as OroValidationError).path, (error as OroValidationError).status]).toEqual([
      "POST",
      "/oauth2-token",
      400,
    ]);
    expect(asked).toEqual([undefined]);
  });

  it("a 4xx that says invalid_client with another status is not taken for a rotated secret", async () => {
    const oro = await tokenEndpoint((_req, res) => json(res, 400, { error: "invalid_client", hint: 42 }));
    const asked: Array<boolean | undefined> = [];
    const error = await rejection(
      new OroTokenSource(async (o) => {
        asked.push(o?.forceRefresh);
        return connectionFor(oro.url);
      }).get(),
    );
    expect(error).toBeInstanceOf(OroValidationError);
    expect(error.message).toBe("/oauth2-token: token request failed: invalid_client");
    expect(asked).toEqual([undefined]);
  });

  it("a 4xx without an OAuth error body says the status", async () => {
    const oro = await tokenEndpoint((_req, res) => json(res, 404, "not here"));
    const error = await rejection(new OroTokenSource(async () => connectionFor(oro.url)).get());
    expect(error.name).toBe("OroNotFoundError");
    expect((error as OroValidationError).errors).toEqual([{ title: "token request failed", detail: "HTTP 404" }]);
  });

  it.each([
    ["no access_token", { token_type: "Bearer", expires_in: 3600 }],
    ["an empty access_token", { token_type: "Bearer", expires_in: 3600, access_token: "" }],
    ["not JSON", "<html>Oro storefront</html>"],
  ])("a 200 with %s is OroResponseError asking whether baseUrl is the application root", async (_what, body) => {
    const oro = await tokenEndpoint((_req, res) => json(res, 200, body));
    const error = await rejection(new OroTokenSource(async () => connectionFor(oro.url)).get());
    expect(error).toBeInstanceOf(OroResponseError);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe(
      `Oro's token endpoint ${oro.url}/oauth2-token answered HTTP 200 without an access_token: is baseUrl the Oro application root (not the /admin or API URL)?`,
    );
  });

  it("invalid_client twice (also after re-reading the secret): OroAuthError ORO_INVALID_CLIENT naming the client id", async () => {
    const oro = await tokenEndpoint((_req, res) => json(res, 401, { error: "invalid_client", message: "Client authentication failed" }));
    const asked: Array<boolean | undefined> = [];
    const source = new OroTokenSource(async (o) => {
      asked.push(o?.forceRefresh);
      return connectionFor(oro.url, { clientId: o?.forceRefresh ? "client-2" : "client-1" });
    });
    const error = (await rejection(source.get())) as OroAuthError;
    expect(error).toBeInstanceOf(OroAuthError);
    expect(error.message).toBe(
      `Oro rejected the OAuth client credentials of client id "client-2" at ${oro.url}/oauth2-token (401 invalid_client), also after re-reading the secret. ` +
        "Check the client id and secret in the connection secret and that the OAuth application (System > User Management > OAuth Applications) is active and uses the client credentials grant.",
    );
    expect(error.code).toBe("ORO_INVALID_CLIENT");
    expect([error.status, error.method, error.path, error.errors]).toEqual([401, "POST", "/oauth2-token", []]);
    expect(asked).toEqual([undefined, true]);
    expect(oro.log.requests).toHaveLength(2);
    expect(everythingIn(error)).not.toContain(SECRET);
  });

  it("after invalid_client, another failure with the re-read secret is raised as it is", async () => {
    const oro = await tokenEndpoint((req, res) => {
      const body = JSON.parse(req.body) as { client_secret: string };
      if (body.client_secret === SECRET) json(res, 401, { error: "invalid_client" });
      else json(res, 403, { error: "access_denied", error_description: "The OAuth application is disabled." });
    });
    const source = new OroTokenSource(async (o) => connectionFor(oro.url, { clientSecret: o?.forceRefresh ? "rotated-secret" : SECRET }));
    const error = await rejection(source.get());
    expect(error.name).toBe("OroForbiddenError");
    expect((error as OroValidationError).errors).toEqual([{ title: "token request failed", detail: "access_denied: The OAuth application is disabled." }]);
  });

  it("after invalid_client, the re-read secret's token comes with the re-read connection", async () => {
    const oro = await tokenEndpoint((req, res, n) => {
      const body = JSON.parse(req.body) as { client_secret: string };
      if (body.client_secret === SECRET) json(res, 401, { error: "invalid_client" });
      else issuing()(req, res, n);
    });
    const rotated = connectionFor(oro.url, { clientSecret: "rotated-secret" });
    const source = new OroTokenSource(async (o) => (o?.forceRefresh ? rotated : connectionFor(oro.url)));
    expect(await source.get()).toEqual({ token: "tok-2", connection: rotated });
  });
});
