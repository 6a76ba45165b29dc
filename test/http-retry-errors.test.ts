import { describe, expect, it } from "vitest";
import { HttpClientError, HttpDeadlineError, HttpError } from "../shared/http";
import { backoffDelay, isRetryableNetworkError, isRetryableStatus, isRetrySafe, parseRetryAfter, sleep } from "../shared/http/retry";

/**
 * The transport's retry rules and error texts with exact values (issue 16, mutation testing):
 * which statuses and network errors are retried, Retry-After parsing, the jittered backoff, and
 * what each error says and carries.
 */
describe("Function: isRetryableStatus", () => {
  it("retries 408, 429 and 500..599, nothing else", () => {
    const statuses = [200, 307, 400, 401, 404, 407, 408, 409, 410, 422, 428, 429, 430, 499, 500, 503, 599, 600];
    expect(statuses.filter(isRetryableStatus)).toEqual([408, 429, 500, 503, 599]);
  });
});

describe("Function: isRetryableNetworkError", () => {
  it("retries socket and timeout codes only", () => {
    expect(isRetryableNetworkError(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryableNetworkError(Object.assign(new Error("x"), { code: "UND_ERR_SOCKET" }))).toBe(true);
    expect(isRetryableNetworkError(Object.assign(new Error("x"), { code: "ERR_INVALID_URL" }))).toBe(false);
    expect(isRetryableNetworkError(Object.assign(new Error("x"), { code: 104 }))).toBe(false);
    expect(isRetryableNetworkError(new Error("no code"))).toBe(false);
    expect(isRetryableNetworkError(null)).toBe(false);
  });
});

describe("Function: isRetrySafe", () => {
  it("repeats idempotent methods, and others only when the caller vouches", () => {
    expect(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"].filter((m) => isRetrySafe(m, undefined))).toEqual([
      "GET",
      "HEAD",
      "PUT",
      "DELETE",
      "OPTIONS",
    ]);
    expect(isRetrySafe("POST", true)).toBe(true);
    expect(isRetrySafe("PATCH", false)).toBe(false);
  });
});

describe("Function: parseRetryAfter", () => {
  const now = Date.parse("2026-12-01T10:00:00Z");
  it("reads delta-seconds (with decimals) and HTTP dates; a past date is 0", () => {
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1_500);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("Tue, 01 Dec 2026 10:00:07 GMT", now)).toBe(7_000);
    expect(parseRetryAfter("Tue, 01 Dec 2026 09:00:00 GMT", now)).toBe(0);
  });
  it("ignores what is neither", () => {
    for (const value of [undefined, "", "   ", "soon"]) expect(parseRetryAfter(value, now), String(value)).toBeUndefined();
  });
  it("does not read a number inside other text as seconds", () => {
    // Date.parse reads "1 2" and "5s" loosely; the delta-seconds rule must not.
    expect(parseRetryAfter("1.", now)).not.toBe(1_000);
    expect(parseRetryAfter("1.5.5", now)).not.toBe(1_500);
    expect(parseRetryAfter("x 3", now)).not.toBe(3_000);
    expect(parseRetryAfter("3 x", now)).not.toBe(3_000);
    expect(parseRetryAfter("1.x5", now)).not.toBe(1_000);
  });
});

describe("Function: backoffDelay", () => {
  it("draws from [0, min(cap, base * 2^(retry-1))]", () => {
    expect([1, 2, 3, 4, 5].map((r) => backoffDelay(r, 100, 1_000, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(0, 100, 1_000, () => 0.5)).toBe(50);
    expect(backoffDelay(3, 100, 1_000, () => 0)).toBe(0);
  });
});

describe("Function: sleep", () => {
  it("resolves true after the delay, at once for 0, false when the signal fired before or during", async () => {
    expect(await sleep(0)).toBe(true);
    expect(await sleep(-5)).toBe(true);
    expect(await sleep(5)).toBe(true);
    expect(await sleep(5, AbortSignal.abort())).toBe(false);
    expect(await sleep(0, AbortSignal.abort())).toBe(false);
    expect(await sleep(10_000, AbortSignal.timeout(20))).toBe(false);
  });
});

describe("HTTP errors", () => {
  const failure = { method: "GET", url: "https://oro.example/admin/api/products", attempts: 3 };
  it("HttpError: transient connection failure named by status, or HTTP_NETWORK with no response", () => {
    const network = new HttpError(failure);
    expect([network.name, network.message, network.code, network.alertType]).toEqual([
      "HttpError",
      "GET https://oro.example/admin/api/products failed with no response after 3 attempt(s)",
      "HTTP_NETWORK",
      "connection",
    ]);
    expect(network.details).toEqual(failure);
    const status = new HttpError({ ...failure, status: 503, bodyExcerpt: "maintenance", retryAfterMs: 2_000 });
    expect([status.message, status.code, status.status, status.bodyExcerpt, status.retryAfterMs]).toEqual([
      "GET https://oro.example/admin/api/products failed with HTTP 503 after 3 attempt(s): maintenance",
      "HTTP_503",
      503,
      "maintenance",
      2_000,
    ]);
    expect(status.details).toEqual({ ...failure, status: 503, bodyExcerpt: "maintenance", retryAfterMs: 2_000 });
    expect(new HttpError(failure, { message: "custom" }).message).toBe("custom");
  });

  it("HttpDeadlineError: says the deadline stopped it and that the record will be retried", () => {
    const error = new HttpDeadlineError(failure);
    expect([error.name, error.code, error.alertType, error.method, error.url, error.attempts]).toEqual([
      "HttpDeadlineError",
      "HTTP_DEADLINE",
      "connection",
      "GET",
      failure.url,
      3,
    ]);
    expect(error.message).toBe(
      "GET https://oro.example/admin/api/products stopped after 3 attempt(s): the call hit its deadline (the caller's abort signal fired, e.g. the Lambda is about to time out); the record will be retried",
    );
    expect(error.details).toEqual(failure);
  });

  it("HttpClientError: permanent, coded by status", () => {
    const error = new HttpClientError({ ...failure, status: 404, bodyExcerpt: "not found" });
    expect([error.name, error.code, error.status, error.bodyExcerpt, error.message]).toEqual([
      "HttpClientError",
      "HTTP_404",
      404,
      "not found",
      "GET https://oro.example/admin/api/products failed with HTTP 404 after 3 attempt(s): not found",
    ]);
    expect(error.details).toEqual({ ...failure, status: 404, bodyExcerpt: "not found" });
  });
});
