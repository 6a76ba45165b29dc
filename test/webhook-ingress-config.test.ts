import { describe, expect, it } from "vitest";
import { readIngressConfig, routeFor } from "../functions/webhook-ingress/config";
import { groupIdOf } from "../functions/webhook-ingress/enqueue";
import { signBody, signatureShapeProblem, verifySignature } from "../functions/webhook-ingress/signature";
import { ConfigurationError } from "../shared/errors";

/**
 * The ingress's routing, FIFO grouping, signature-header checks and configuration errors with
 * exact values (issue 16, mutation testing).
 */
const Q = "https://sqs.eu-west-1.amazonaws.com/123456789012/oro-orders";

describe("Function: routeFor", () => {
  const routes = { "order.created": `${Q}-created`, "order.updated": `${Q}-updated` };
  it("routes the exact topic, then a per-record topic (`order.updated.42`) by its parent", () => {
    expect(routeFor(routes, "order.created")).toBe(`${Q}-created`);
    expect(routeFor(routes, "order.updated.42")).toBe(`${Q}-updated`);
  });
  it("does not route a parent for a non-numeric suffix, an unknown topic or a prototype member", () => {
    expect(routeFor(routes, "order.updated.x")).toBeUndefined();
    expect(routeFor(routes, "order.updated.42x")).toBeUndefined();
    expect(routeFor(routes, "order.deleted.42")).toBeUndefined();
    expect(routeFor(routes, "42")).toBeUndefined();
    expect(routeFor(routes, ".42")).toBeUndefined();
    expect(routeFor(routes, "constructor")).toBeUndefined();
    expect(routeFor(routes, "toString.1")).toBeUndefined();
  });
});

describe("Function: groupIdOf", () => {
  const body = (data: unknown, topic = "order.updated") => ({ topic, timestamp: 1, messageId: "m", eventData: { data } }) as never;
  it("groups by the record the event is about, else by topic; hashes what SQS would refuse", () => {
    expect(groupIdOf(body({ type: "orders", id: "42" }))).toBe("orders:42");
    expect(groupIdOf(body({ type: "orders", id: 42 }))).toBe("orders:42");
    expect(groupIdOf(body({ type: "orders" }))).toBe("order.updated");
    expect(groupIdOf(body({ id: "42" }))).toBe("order.updated");
    expect(groupIdOf(body({ type: "orders", id: { x: 1 } }))).toBe("order.updated");
    expect(groupIdOf(body(undefined))).toBe("order.updated");
    expect(groupIdOf(body({ type: "orders", id: "a b" }))).toMatch(/^[0-9a-f]{64}$/);
    expect(groupIdOf(body({ type: "orders", id: "x".repeat(130) }))).toMatch(/^[0-9a-f]{64}$/);
    expect(groupIdOf(body({ type: "o", id: "x".repeat(126) }))).toBe(`o:${"x".repeat(126)}`);
  });
});

describe("Function: signatureShapeProblem", () => {
  const hex = "a".repeat(64);
  it("tells missing, foreign algorithm and malformed apart before any HMAC", () => {
    expect(signatureShapeProblem(undefined, undefined)).toBe("missing");
    expect(signatureShapeProblem("", "HMAC-SHA256")).toBe("missing");
    expect(signatureShapeProblem(hex, "HMAC-SHA1")).toBe("algorithm");
    expect(signatureShapeProblem(hex, "hmac-sha256")).toBeUndefined();
    expect(signatureShapeProblem(hex, undefined)).toBeUndefined();
    expect(signatureShapeProblem(` ${hex.toUpperCase()} `, "HMAC-SHA256")).toBeUndefined();
    expect(signatureShapeProblem(hex.slice(1), undefined)).toBe("malformed");
    expect(signatureShapeProblem(`${hex}a`, undefined)).toBe("malformed");
    expect(signatureShapeProblem(`${hex.slice(1)}g`, undefined)).toBe("malformed");
    expect(signatureShapeProblem(`x${hex}`, undefined)).toBe("malformed");
  });
  it("verifies a signature with the whitespace a proxy may add around it", () => {
    const signature = signBody("{}", "whsec-0123456789abcdef");
    expect(verifySignature(Buffer.from("{}"), ` ${signature}\t`, ["whsec-0123456789abcdef"])).toBe(true);
  });
});

describe("Function: readIngressConfig", () => {
  const env = {
    WEBHOOK_SECRET_NAME: "oro/webhook",
    WEBHOOK_ROUTES: JSON.stringify({ "order.created": Q, local: "http://sqs.us-east-1.127.0.0.1:4566/000000000000/q" }),
  };
  it("reads the secret name and the routes, a local emulator's URL included", () => {
    expect(readIngressConfig(env)).toMatchObject({
      secretName: "oro/webhook",
      routes: { "order.created": Q, local: "http://sqs.us-east-1.127.0.0.1:4566/000000000000/q" },
    });
    expect(readIngressConfig({ WEBHOOK_SECRET_NAME: "s" }).routes).toEqual({});
    expect(readIngressConfig({ ...env, WEBHOOK_MAX_BODY_BYTES: "1000" }).maxBodyBytes).toBe(1_000);
    expect(readIngressConfig(env, { secretName: "o", routes: { a: Q }, maxBodyBytes: 5 })).toEqual({
      secretName: "o",
      routes: { a: Q },
      maxBodyBytes: 5,
      syncRoutes: {},
      maxAgeSeconds: 86_400,
      maxFutureSeconds: 300,
      secretReloadSeconds: 30,
      stateTableName: undefined,
    });
  });
  it("names the variable and what it must hold", () => {
    expect(() => readIngressConfig({})).toThrow(
      new ConfigurationError("environment variable WEBHOOK_SECRET_NAME is not set: the CDK stack sets it from the deploy config's webhook.secretName"),
    );
    expect(() => readIngressConfig({ ...env, WEBHOOK_ROUTES: "{" })).toThrow(
      new ConfigurationError("environment variable WEBHOOK_ROUTES is not JSON: it must be an object of topic -> queue URL"),
    );
    const shape = new ConfigurationError(
      'environment variable WEBHOOK_ROUTES must be an object of topic -> queue URL, e.g. {"order.created":"https://sqs.eu-west-1.amazonaws.com/123456789012/oro-orders"}',
    );
    for (const routes of [{ "order.created": "not a url" }, { "": Q }, { a: "https://host-only" }, { a: "ftp://x/q" }, [Q]]) {
      expect(() => readIngressConfig({ ...env, WEBHOOK_ROUTES: JSON.stringify(routes) }), JSON.stringify(routes)).toThrow(shape);
    }
    for (const raw of ["0", "-1", "1.5", "lots"]) {
      expect(() => readIngressConfig({ ...env, WEBHOOK_MAX_BODY_BYTES: raw }), raw).toThrow(
        new ConfigurationError("environment variable WEBHOOK_MAX_BODY_BYTES must be a positive integer"),
      );
    }
  });
});
