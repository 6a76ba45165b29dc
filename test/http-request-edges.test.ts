/**
 * The transport's request() (shared/http/request.ts) at its edges, against node:http servers on
 * 127.0.0.1 (one per test, so one origin and one pool each): exact attempt counts, error types
 * and messages, the failure counter, bodies and headers as sent, and when a 4xx is raised.
 */
import { afterEach, describe, expect, it } from "vitest";
import { HttpClientError, HttpDeadlineError, HttpError, HttpRequestInvalidError, getHttpStats, request } from "../shared/http";
import { startTestServer } from "./helpers/http-test-server";
import type { TestHandler } from "./helpers/http-test-server";

const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const serve = async (handler: TestHandler) => {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
};

const rejection = async (promise: Promise<unknown>): Promise<Error> => {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof Error)) throw new Error("expected a rejection");
  return outcome;
};

const fast = { baseMs: 1, capMs: 2 };

describe("Function: request: retries and their end", () => {
  it("retry: false makes a single attempt", async () => {
    const server = await serve((_req, res) => res.writeHead(503).end("down"));
    const error = await rejection(request({ url: `${server.url}/x`, retry: false }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe(`GET ${server.url}/x failed with HTTP 503 after 1 attempt(s): down`);
    expect(server.log.requests).toHaveLength(1);
  });

  it("a reset connection is retried up to the attempts, then reported with the network error's code", async () => {
    const server = await serve((req) => req.socket.destroy());
    const error = (await rejection(request({ url: `${server.url}/reset`, retry: { attempts: 2, ...fast } }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(server.log.requests).toHaveLength(2);
    expect(error.attempts).toBe(2);
    expect(error.message).toMatch(new RegExp(`^GET ${server.url}/reset failed after 2 attempt\\(s\\): UND_ERR_SOCKET other side closed$`));
    expect(error.code).toBe("HTTP_NETWORK");
    expect(getHttpStats(server.url).failures).toBe(1);
  });

  it("a reset POST that is not retry-safe is not retried, and says why", async () => {
    const server = await serve((req) => req.socket.destroy());
    const error = await rejection(request({ url: `${server.url}/p`, method: "POST", body: "{}", retry: { attempts: 3, ...fast } }));
    expect(server.log.requests).toHaveLength(1);
    expect(error.message).toBe(
      `POST ${server.url}/p failed after 1 attempt(s): UND_ERR_SOCKET other side closed (not retried in-call: POST is not idempotent and the call is not marked retrySafe)`,
    );
  });

  it("an error below HTTP that is not a network failure (undici refuses a header) is raised as it is, once", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end());
    const error = await rejection(request({ url: `${server.url}/h`, headers: { "x-bad": "a\u0001b" }, retry: { attempts: 3, ...fast } }));
    expect(error).not.toBeInstanceOf(HttpError);
    expect((error as { code?: string }).code).toBe("UND_ERR_INVALID_ARG");
    expect(server.log.requests).toHaveLength(0);
    expect(getHttpStats(server.url).failures).toBe(1);
    expect(getHttpStats(server.url).requests).toBe(1);
  });

  it("a Retry-After of exactly the longest honoured delay is waited for; a longer one ends the call at once", async () => {
    const server = await serve((req, res, n) =>
      n === 0 ? res.writeHead(503, { "retry-after": req.url === "/long" ? "2" : "1" }).end() : res.writeHead(200).end("ok"),
    );
    const res = await request({ url: `${server.url}/exact`, retry: { attempts: 2, maxRetryAfterMs: 1_000, ...fast } });
    expect([res.status, res.attempts]).toEqual([200, 2]);

    const other = await serve((_req, res) => res.writeHead(503, { "retry-after": "2" }).end());
    const error = (await rejection(request({ url: `${other.url}/long`, retry: { attempts: 3, maxRetryAfterMs: 1_000, ...fast } }))) as HttpError;
    expect(other.log.requests).toHaveLength(1);
    expect(error.retryAfterMs).toBe(2_000);
    expect(getHttpStats(other.url).failures).toBe(1);
  });

  it("a 503 without Retry-After has no retryAfterMs in its details", async () => {
    const server = await serve((_req, res) => res.writeHead(503).end("busy"));
    const error = (await rejection(request({ url: `${server.url}/busy`, retry: { attempts: 1 } }))) as HttpError;
    expect(error.details).toStrictEqual({ method: "GET", url: `${server.url}/busy`, status: 503, bodyExcerpt: "busy", attempts: 1 });
  });
});

describe("Function: request: text that cannot be sent", () => {
  it("a line break in the URL is refused before sending, naming the method in upper case (GET by default)", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end());
    const post = await rejection(request({ url: `${server.url}/a\nb`, method: "post" }));
    expect(post).toBeInstanceOf(HttpRequestInvalidError);
    expect(post.name).toBe("HttpRequestInvalidError");
    expect(post.message).toBe("POST refused before sending: the URL's path holds a line break or NUL (an id from record data?); fix the source record");
    const get = await rejection(request({ url: `${server.url}/a?q=1\r` }));
    expect(get.message).toBe("GET refused before sending: the URL's query holds a line break or NUL (an id from record data?); fix the source record");
    expect(server.log.requests).toHaveLength(0);
  });
});

describe("Function: request: the caller's signal", () => {
  it("a signal aborted before the call sends nothing: HttpDeadlineError after 0 attempts, with the reason as cause", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end());
    const reason = new Error("deadline");
    const controller = new AbortController();
    controller.abort(reason);
    const error = (await rejection(request({ url: `${server.url}/a`, signal: controller.signal }))) as HttpDeadlineError;
    expect(error).toBeInstanceOf(HttpDeadlineError);
    expect(error.attempts).toBe(0);
    expect(error.cause).toBe(reason);
    expect(server.log.requests).toHaveLength(0);
    expect(getHttpStats(server.url).failures).toBe(1);
  });

  it("a signal that fires during the only attempt is a deadline, not a timeout", async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    const pending = rejection(request({ url: `${server.url}/slow`, signal: controller.signal, retry: { attempts: 1 } }));
    while (server.log.requests.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort(new Error("deadline"));
    const error = (await pending) as HttpDeadlineError;
    expect(error).toBeInstanceOf(HttpDeadlineError);
    expect(error.attempts).toBe(1);
  });
});

describe("Function: request: bodies, headers and answers", () => {
  it("an object body is JSON with content-type application/json, unless a content type is given in any case", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end());
    await request({ url: `${server.url}/a`, method: "PATCH", body: { a: 1 } });
    await request({ url: `${server.url}/b`, method: "PATCH", body: { a: 1 }, headers: { "Content-Type": "application/merge-patch+json" } });
    const [a, b] = server.log.requests;
    expect([a?.body, a?.headers["content-type"]]).toEqual(['{"a":1}', "application/json"]);
    expect([b?.body, b?.headers["content-type"]]).toEqual(['{"a":1}', "application/merge-patch+json"]);
  });

  it("adds its content type only once: a given one is the only one on the wire; other headers do not count", async () => {
    const raw: string[][] = [];
    const server = await serve((req, res) => {
      raw.push(req.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase()));
      res.writeHead(200).end();
    });
    await request({ url: `${server.url}/a`, method: "PATCH", body: { a: 1 }, headers: { "CONTENT-TYPE": "application/merge-patch+json" } });
    await request({ url: `${server.url}/b`, method: "PATCH", body: { a: 1 }, headers: { accept: "application/json" } });
    expect(raw[0]?.filter((h) => h === "content-type")).toHaveLength(1);
    expect(server.log.requests[0]?.headers["content-type"]).toBe("application/merge-patch+json");
    expect(raw[1]?.filter((h) => h === "content-type")).toHaveLength(1);
    expect(server.log.requests[1]?.headers["content-type"]).toBe("application/json");
  });

  it("an attempt over its timeout is reported as such", async () => {
    const server = await serve(() => undefined);
    const error = await rejection(request({ url: `${server.url}/t`, timeoutMs: 50, retry: { attempts: 1 } }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe(`GET ${server.url}/t failed after 1 attempt(s): attempt timed out after 50 ms`);
  });

  it("a null body sends no body", async () => {
    const server = await serve((_req, res) => res.writeHead(200).end());
    await request({ url: `${server.url}/n`, method: "POST", body: null as never });
    expect(server.log.requests[0]?.body).toBe("");
    expect(server.log.requests[0]?.headers["content-type"]).toBeUndefined();
  });

  it("joins repeated response headers with a comma", async () => {
    const server = await serve((_req, res) => {
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(200).end();
    });
    const res = await request({ url: `${server.url}/c` });
    expect(res.headers["set-cookie"]).toBe("a=1, b=2");
  });

  it("json() of a body that is not JSON raises HttpError quoting a redacted excerpt", async () => {
    const server = await serve((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>  proxy   login token=abcdef </html>"));
    const res = await request({ url: `${server.url}/j` });
    const error = (() => {
      try {
        res.json();
      } catch (e) {
        return e as HttpError;
      }
      throw new Error("expected an error");
    })();
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe(
      `GET ${server.url}/j answered HTTP 200 with a body that is not JSON (a proxy or error page?): <html> proxy login token=[REDACTED] </html>`,
    );
    expect([error.status, error.bodyExcerpt, error.attempts]).toEqual([200, "<html> proxy login token=[REDACTED] </html>", 1]);
  });

  it("throwOnClientError raises a 400-499 answer as HttpClientError and returns any other status", async () => {
    const server = await serve((req, res) => res.writeHead(Number(req.url?.slice(1))).end("answer"));
    for (const status of [400, 404, 499]) {
      const error = (await rejection(request({ url: `${server.url}/${status}`, throwOnClientError: true }))) as HttpClientError;
      expect(error).toBeInstanceOf(HttpClientError);
      expect(error.status).toBe(status);
    }
    for (const status of [200, 302, 600]) {
      const res = await request({ url: `${server.url}/${status}`, throwOnClientError: true, retry: false });
      expect(res.status).toBe(status);
    }
    expect((await request({ url: `${server.url}/404` })).status).toBe(404);
  });
});
