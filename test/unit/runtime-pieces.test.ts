import { readFileSync } from "node:fs";
import type { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { ConfigurationError, MalformedMessageError, UnknownMessageTypeError, isPermanent } from "../../shared/errors";
import { createEnvelope, envelopeJsonSchema } from "../../shared/messages";
import { SecretRedactor, createRootLogger, registerSecretValues } from "../../shared/observability";
import { mapWithConcurrency, parseRecordBody, readRuntimeConfig, visibilityBackoffSeconds } from "../../shared/runtime";
import { SecretStore } from "../../shared/secrets";
import { testConnector } from "../fixtures/test-connector";

const owner = { integration: "main", connector: testConnector.type };

describe("Function: visibilityBackoffSeconds", () => {
  it("grows the ceiling exponentially with the attempt and caps it", () => {
    const top = () => 1;
    expect([1, 2, 3, 4].map((n) => visibilityBackoffSeconds(n, { baseSeconds: 10, capSeconds: 60, random: top }))).toEqual([10, 20, 40, 60]);
  });
  it("applies full jitter between 1 s and the ceiling", () => {
    expect(visibilityBackoffSeconds(3, { baseSeconds: 10, random: () => 0 })).toBe(1);
    expect(visibilityBackoffSeconds(3, { baseSeconds: 10, random: () => 0.5 })).toBe(20);
  });
  it("never exceeds SQS's 12 hour limit", () => {
    expect(visibilityBackoffSeconds(40, { baseSeconds: 10, capSeconds: 10 ** 9, random: () => 1 })).toBe(43_200);
  });
});

describe("Function: parseRecordBody", () => {
  const body = (fields: Record<string, unknown>) =>
    JSON.stringify({
      ...createEnvelope({ id: "e1", integration: "main", connector: testConnector.type, type: "work", payload: { outcome: "ok" } }),
      ...fields,
    });

  it("accepts a valid envelope and types the payload", () => {
    const result = parseRecordBody(body({}), testConnector, owner);
    expect(result.ok && result.message.payload).toEqual({ outcome: "ok" });
  });
  it.each([
    ["not JSON", "{", MalformedMessageError, /not JSON/],
    ["no envelope", JSON.stringify({ hello: 1 }), MalformedMessageError, /not a valid envelope v1 .*version/],
    ["broken webhook", JSON.stringify({ topic: "order.created", eventData: {} }), MalformedMessageError, /Oro webhook body .*messageId/],
    ["wrong version", body({ version: 2 }), MalformedMessageError, /version/],
    ["unknown type", body({ type: "other" }), UnknownMessageTypeError, /accepts: work/],
    ["other connector", body({ connector: "elsewhere" }), UnknownMessageTypeError, /reached the queue of main\/test-connector/],
    ["bad payload", body({ payload: { outcome: 42 } }), MalformedMessageError, /payload is invalid: outcome/],
    ["prototype member as type", body({ type: "constructor" }), UnknownMessageTypeError, /does not accept/],
  ])("rejects %s as a permanent error that says what to fix", (_name, raw, type, message) => {
    const result = parseRecordBody(raw, testConnector, owner);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(type);
      expect(isPermanent(result.error)).toBe(true);
      expect(result.error.message).toMatch(message);
    }
  });
  it("accepts Oro's webhook body unchanged, typed by its topic", () => {
    const webhook = { topic: "work", timestamp: 1741267200, messageId: "m-1", eventData: { data: { type: "orders", id: "1" } } };
    const connector = { ...testConnector, messages: { work: z.object({ topic: z.string(), eventData: z.record(z.string(), z.unknown()) }) } };
    const result = parseRecordBody(JSON.stringify(webhook), connector as never, owner);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.message.meta).toMatchObject({ id: "m-1", type: "work", source: "oro-webhook", integration: "main", createdAt: "2025-03-06T13:20:00.000Z" });
    }
  });
});

describe("Envelope JSON Schema", () => {
  it("is checked in and current", () => {
    const checkedIn = JSON.parse(readFileSync(new URL("../../schemas/envelope.schema.json", import.meta.url), "utf8"));
    expect(checkedIn).toEqual(envelopeJsonSchema());
  });
});

describe("Function: mapWithConcurrency", () => {
  it("keeps order and never runs more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const result = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});

describe("Function: readRuntimeConfig", () => {
  it("names the missing variable", () => {
    expect(() => readRuntimeConfig({ INTEGRATION_NAME: "x" })).toThrow(/CONNECTOR_TYPE is not set/);
  });
  it("rejects a bad number", () => {
    expect(() => readRuntimeConfig({ INTEGRATION_NAME: "x", CONNECTOR_TYPE: "y", DLQ_URL: "d", ALERTS_QUEUE_URL: "a", MAX_RECEIVE_COUNT: "five" })).toThrow(
      ConfigurationError,
    );
  });
});

describe("Function: redact", () => {
  it("masks registered values, longest first, and their URL-encoded forms", () => {
    const r = new SecretRedactor();
    r.registerSecretValues({ apiKey: "abcd", password: "abcd-efgh/ij" });
    expect(r.redact("p=abcd-efgh/ij u=abcd e=abcd-efgh%2Fij")).toBe("p=*** u=*** e=***");
  });
  it("masks credentials, including nested ones, but not identifiers", () => {
    const r = new SecretRedactor();
    r.registerSecretValues({
      baseUrl: "https://pim.example.com",
      username: "connector",
      clientId: "client-1",
      clientSecret: "cs-123456",
      auth: { bearer: "tok-987654" },
    });
    expect(r.redact("connector client-1 https://pim.example.com cs-123456 tok-987654")).toBe("connector client-1 https://pim.example.com *** ***");
  });
});

describe("Class: SecretStore", () => {
  const fakeClient = (values: string[]) => {
    let calls = 0;
    const client = {
      send: async (command: GetSecretValueCommand) => ({ SecretString: values[Math.min(calls++, values.length - 1)], Name: command.input.SecretId }),
    } as unknown as SecretsManagerClient;
    return { client: async () => client, calls: () => calls };
  };
  const Schema = z.object({ key: z.string() });

  it("coalesces concurrent loads into one call and caches within the TTL", async () => {
    const fake = fakeClient([JSON.stringify({ key: "one-value" })]);
    const store = new SecretStore({ client: fake.client, ttlMs: 60_000 });
    const values = await Promise.all(Array.from({ length: 20 }, () => store.get("s", Schema)));
    expect(values.every((v) => v.key === "one-value")).toBe(true);
    await store.get("s", Schema);
    expect(fake.calls()).toBe(1);
  });
  it("reloads once for a burst of forced refreshes", async () => {
    const fake = fakeClient([JSON.stringify({ key: "old-value" }), JSON.stringify({ key: "new-value" })]);
    const store = new SecretStore({ client: fake.client });
    await store.get("s", Schema);
    const refreshed = await Promise.all(Array.from({ length: 5 }, () => store.get("s", Schema, { forceRefresh: true })));
    const later = await store.get("s", Schema, { forceRefresh: true });
    expect([...refreshed, later].every((v) => v.key === "new-value")).toBe(true);
    expect(fake.calls()).toBe(2);
  });
  it("names the secret and the bad field, never the value", async () => {
    const store = new SecretStore({ client: fakeClient([JSON.stringify({ key: 12345678, other: "hunter2-secret" })]).client });
    const error = await store.get("oro/main", Schema).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/secret "oro\/main" has the wrong shape: key:/);
    expect((error as Error).message).not.toMatch(/12345678|hunter2/);
  });
});

describe("Function: createRootLogger", () => {
  it("logs an unexpected error with its first frames and its cause, redacted; a typed error without a stack", () => {
    registerSecretValues({ apiKey: "sk-do-not-log-1234" });
    const lines: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    const originalErr = process.stderr.write.bind(process.stderr);
    const capture = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    process.stdout.write = capture;
    process.stderr.write = capture;
    const previous = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = "INFO";
    try {
      const logger = createRootLogger("log-test");
      logger.error("boom", { error: new TypeError("bad key sk-do-not-log-1234", { cause: new Error("socket hang up") }) });
      logger.error("typed", { error: new ConfigurationError("secret has the wrong shape") });
    } finally {
      process.stdout.write = original;
      process.stderr.write = originalErr;
      process.env.POWERTOOLS_LOG_LEVEL = previous;
    }
    const [bug, typed] = lines.map((l) => JSON.parse(l) as { error: Record<string, unknown> });
    expect(bug?.error).toMatchObject({ name: "TypeError", message: "bad key ***", cause: { name: "Error", message: "socket hang up" } });
    expect(String(bug?.error.stack)).toMatch(/runtime-pieces\.test\.ts/);
    expect(typed?.error).toMatchObject({ name: "ConfigurationError", code: "CONFIGURATION" });
    expect(typed?.error.stack).toBeUndefined();
    expect(lines.join("")).not.toContain("sk-do-not-log-1234");
  });
});
