import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PermanentError, TransientError } from "../shared/errors";
import { HttpClientError, HttpDeadlineError, HttpError, backoffDelay, HttpTransport, parseRetryAfter, request } from "../shared/http";
import { delay, everythingIn, startTestServer } from "./helpers/http-test-server";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server | undefined;
const fast = { baseMs: 5, capMs: 20 };

const serve = async (handler: Parameters<typeof startTestServer>[0]): Promise<Server> => {
  server = await startTestServer(handler);
  return server;
};

// A transport of its own per test: its pools and counters start empty.
let http: HttpTransport;
beforeEach(() => {
  http = new HttpTransport();
});
afterEach(async () => {
  await http.close();
  await server?.close();
  server = undefined;
});

describe("Function: request — pooling", () => {
  it("reuses one keep-alive socket for sequential calls", async () => {
    const { url, log } = await serve((_req, res) => res.end("ok"));
    for (let i = 0; i < 5; i += 1) {
      const res = await request({ transport: http, url: `${url}/ping?i=${i}` });
      expect(res.status).toBe(200);
      expect(res.body).toBe("ok");
    }
    expect(log.requests).toHaveLength(5);
    expect(log.sockets).toBe(1);
    expect(http.stats(url)).toMatchObject({ requests: 5, retries: 0, failures: 0 });
  });

  it("never has more than maxConnections requests in flight at the server", async () => {
    const { url, log } = await serve(async (_req, res) => {
      await delay(40);
      res.end("slow");
    });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => request({ transport: http, url: `${url}/x/${i}`, maxConnections: 3 })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(log.maxInFlight).toBeLessThanOrEqual(3);
    expect(log.maxInFlight).toBe(3);
    expect(log.sockets).toBeLessThanOrEqual(3);
    // 12 requests, 3 at a time, 40 ms each: at least 4 rounds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it("sends an object body as JSON with a JSON content type", async () => {
    const { url, log } = await serve((req, res) => res.end(req.body));
    const res = await request({ transport: http, url, method: "POST", body: { a: 1 } });
    expect(res.json()).toEqual({ a: 1 });
    expect(log.requests[0]?.headers["content-type"]).toBe("application/json");
  });
});

describe("Function: request — retries", () => {
  it("retries a 503 and returns the later success", async () => {
    const { url, log } = await serve((_req, res, n) => {
      res.statusCode = n < 2 ? 503 : 200;
      res.end(n < 2 ? "busy" : '{"ok":true}');
    });
    const res = await request({ transport: http, url, retry: { attempts: 4, ...fast } });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
    expect(res.json()).toEqual({ ok: true });
    expect(log.requests).toHaveLength(3);
    expect(http.stats(url)).toMatchObject({ requests: 3, retries: 2, failures: 0, statuses: { 503: 2, 200: 1 } });
  });

  it("waits the Retry-After seconds before retrying", async () => {
    const { url, log } = await serve((_req, res, n) => {
      if (n === 0) {
        res.writeHead(429, { "retry-after": "1" }).end();
        return;
      }
      res.end("ok");
    });
    const started = Date.now();
    const res = await request({ transport: http, url, retry: fast });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(log.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2_500);
  });

  it("waits until a Retry-After HTTP date before retrying", async () => {
    const { url } = await serve((_req, res, n) => {
      if (n === 0) {
        // HTTP dates have one-second resolution: 2 s ahead means a wait between 1 and 2 s.
        res.writeHead(503, { "retry-after": new Date(Date.now() + 2_000).toUTCString() }).end();
        return;
      }
      res.end("ok");
    });
    const started = Date.now();
    await request({ transport: http, url, retry: fast });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3_000);
  });

  it("gives up at once when Retry-After exceeds the cap, saying how long the server asked for", async () => {
    const { url, log } = await serve((_req, res) => res.writeHead(429, { "retry-after": "120" }).end("slow down"));
    const started = Date.now();
    const error = await request({ transport: http, url, retry: { ...fast, maxRetryAfterMs: 1_000 } }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000, attempts: 1 });
    expect(log.requests).toHaveLength(1);
  });

  it("does not retry a POST unless the call is retrySafe", async () => {
    const { url, log } = await serve((_req, res, n) => {
      res.statusCode = n === 0 || n === 1 ? 503 : 201;
      res.end();
    });
    const error = await request({ transport: http, url, method: "POST", body: "x", retry: fast }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect(log.requests).toHaveLength(1);

    const res = await request({ transport: http, url, method: "POST", body: "x", retry: fast, retrySafe: true });
    expect(res.status).toBe(201);
    expect(log.requests).toHaveLength(3);
  });

  it("retries a GET whose connection was reset", async () => {
    const { url, log } = await serve((req, res, n) => {
      if (n === 0) {
        req.socket.destroy();
        return;
      }
      res.end("after reset");
    });
    const res = await request({ transport: http, url, retry: fast });
    expect(res.body).toBe("after reset");
    expect(log.requests).toHaveLength(2);
    expect(http.stats(url).retries).toBe(1);
  });

  it("does not retry a POST whose connection was reset, and says why", async () => {
    const { url, log } = await serve((req) => {
      req.socket.destroy();
    });
    const error = await request({ transport: http, url, method: "POST", body: "x", retry: fast }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBeUndefined();
    expect((error as Error).message).toMatch(/not retried in-call: POST is not idempotent/);
    expect(log.requests).toHaveLength(1);
  });

  it("retries an attempt that exceeds timeoutMs", async () => {
    const { url, log } = await serve(async (_req, res, n) => {
      if (n === 0) await delay(1_000);
      res.end("second try");
    });
    const res = await request({ transport: http, url, timeoutMs: 150, retry: fast });
    expect(res.body).toBe("second try");
    expect(log.requests).toHaveLength(2);
  });

  it("returns a non-retryable 4xx by default and raises HttpClientError when asked", async () => {
    const { url, log } = await serve((_req, res) => res.writeHead(404).end("no such thing"));
    const res = await request({ transport: http, url, retry: fast });
    expect(res.status).toBe(404);
    const error = await request({ transport: http, url, retry: fast, throwOnClientError: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpClientError);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as HttpClientError).status).toBe(404);
    expect(log.requests).toHaveLength(2);
  });
});

describe("Function: request — giving up", () => {
  it("raises a transient HttpError with status and a short redacted excerpt, and no secret", async () => {
    const secret = "s3cr3t-VALUE-never-leak";
    const { url, log } = await serve((req, res) => {
      // A badly behaved server that echoes what it got, secrets included, plus a long HTML page.
      res
        .writeHead(502, { "content-type": "application/json" })
        .end(
          JSON.stringify({ error: "bad gateway", echo: req.body, authorization: req.headers.authorization, access_token: "tok-123456" }) +
            " <html>" +
            "x".repeat(2_000) +
            "</html>",
        );
    });
    const error = await request({
      transport: http,
      url: `${url}/admin/api/products?access_token=${secret}&page[size]=2`,
      method: "PUT",
      headers: { authorization: `Bearer ${secret}`, "x-api-key": secret },
      body: JSON.stringify({ client_secret: secret, name: "widget" }),
      retry: { attempts: 3, ...fast },
    }).catch((e: unknown) => e);

    expect(log.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toBeInstanceOf(TransientError);
    const httpError = error as HttpError;
    expect(httpError.status).toBe(502);
    expect(httpError.code).toBe("HTTP_502");
    expect(httpError.attempts).toBe(3);
    expect(httpError.message).toContain("PUT");
    expect(httpError.message).toContain("HTTP 502");
    expect(httpError.message).toContain("/admin/api/products?access_token=[REDACTED]&page[size]=2");
    expect(httpError.bodyExcerpt).toContain("bad gateway");
    expect(httpError.bodyExcerpt?.length).toBeLessThanOrEqual(300);
    expect(everythingIn(error)).not.toContain(secret);
    expect(everythingIn(error)).not.toContain("tok-123456");
  });

  it("keeps caller-declared secrets out of the excerpt even under innocent field names", async () => {
    const secret = "plain-secret-in-body";
    const { url } = await serve((_req, res) => res.writeHead(500).end(`{"message":"bad key ${secret}"}`));
    const error = await request({ transport: http, url, retry: { attempts: 1 }, secrets: [secret] }).catch((e: unknown) => e);
    expect(everythingIn(error)).not.toContain(secret);
    expect((error as HttpError).bodyExcerpt).toContain("[REDACTED]");
  });
});

describe("Function: request — deadline signal", () => {
  it("stops a hanging call as soon as the signal fires", async () => {
    const { url } = await serve(async (_req, res) => {
      await delay(5_000);
      res.end("too late");
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await request({ transport: http, url, signal: controller.signal, retry: fast }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(HttpDeadlineError);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/deadline/);
  });

  it("does not sleep through a long Retry-After past the signal", async () => {
    const { url, log } = await serve((_req, res) => res.writeHead(503, { "retry-after": "10" }).end());
    const started = Date.now();
    const error = await request({ transport: http, url, signal: AbortSignal.timeout(200), retry: fast }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(HttpDeadlineError);
    expect(log.requests).toHaveLength(1);
  });

  it("makes no attempt when the signal has already fired", async () => {
    const { url, log } = await serve((_req, res) => res.end());
    const error = await request({ transport: http, url, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpDeadlineError);
    expect(log.requests).toHaveLength(0);
  });
});

describe("Helpers", () => {
  it("parses Retry-After seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("draws full-jitter delays within [0, min(cap, base * 2^(n-1))]", () => {
    expect(backoffDelay(1, 100, 1_000, () => 0.999)).toBe(99);
    expect(backoffDelay(4, 100, 1_000, () => 0.999)).toBe(799);
    expect(backoffDelay(10, 100, 1_000, () => 0.999)).toBe(999);
    expect(backoffDelay(3, 100, 1_000, () => 0)).toBe(0);
  });
});
