import type { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { ConfigurationError, TransientError } from "../shared/errors";
import { SecretRedactor } from "../shared/observability";
import { SecretStore } from "../shared/secrets";

/**
 * SecretStore edges (issue 16, mutation testing): the TTL and forced-refresh boundaries on a fixed
 * clock, what each Secrets Manager failure becomes, and secrets with no value or no JSON. The
 * client is a stand-in for GetSecretValue (a unit test of one class).
 */
type Answer = { SecretString?: string; SecretBinary?: Uint8Array } | Error;
const fake = (answers: Answer[]) => {
  let calls = 0;
  const names: string[] = [];
  const client = {
    send: async (command: GetSecretValueCommand) => {
      names.push(String(command.input.SecretId));
      const answer = answers[Math.min(calls++, answers.length - 1)] as Answer;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as SecretsManagerClient;
  return { client: async () => client, calls: () => calls, names };
};
const awsError = (name: string) => Object.assign(new Error(`${name}: details`), { name });
const json = (value: unknown) => ({ SecretString: JSON.stringify(value) });
const Schema = z.object({ key: z.string() });

describe("Class: SecretStore (edges)", () => {
  it("reuses a secret until exactly its TTL, then fetches it again", async () => {
    let now = 1_000;
    const f = fake([json({ key: "v1" }), json({ key: "v2" })]);
    const store = new SecretStore({ client: f.client, ttlMs: 60_000, now: () => now });
    expect((await store.get("s", Schema)).key).toBe("v1");
    now += 59_999;
    expect((await store.get("s", Schema)).key).toBe("v1");
    expect(store.fetches).toBe(1);
    now += 1;
    expect((await store.get("s", Schema)).key).toBe("v2");
    expect([store.fetches, f.calls()]).toEqual([2, 2]);
    expect(f.names).toEqual(["s", "s"]);
  });

  it("reuses a forced load for forced refreshes within the interval, not a TTL load, and not at the interval", async () => {
    let now = 0;
    const f = fake([json({ key: "v1" }), json({ key: "v2" }), json({ key: "v3" }), json({ key: "v4" })]);
    const store = new SecretStore({ client: f.client, ttlMs: 60_000, minRefreshIntervalMs: 2_000, now: () => now });
    await store.get("s", Schema);
    // The cached load was not forced: a forced refresh fetches at once.
    now = 10;
    expect((await store.get("s", Schema, { forceRefresh: true })).key).toBe("v2");
    now = 2_009;
    expect((await store.get("s", Schema, { forceRefresh: true })).key).toBe("v2");
    now = 2_010;
    expect((await store.get("s", Schema, { forceRefresh: true })).key).toBe("v3");
    expect(store.fetches).toBe(3);
  });

  it("uses a 2 s forced-refresh interval and a 5 min TTL by default", async () => {
    let now = 0;
    const f = fake([json({ key: "v1" }), json({ key: "v2" }), json({ key: "v3" }), json({ key: "v4" })]);
    const store = new SecretStore({ client: f.client, now: () => now });
    await store.get("s", Schema, { forceRefresh: true });
    now = 1_999;
    expect((await store.get("s", Schema, { forceRefresh: true })).key).toBe("v1");
    now = 2_000;
    expect((await store.get("s", Schema, { forceRefresh: true })).key).toBe("v2");
    now = 2_000 + 299_999;
    expect((await store.get("s", Schema)).key).toBe("v2");
    now = 2_000 + 300_000;
    expect((await store.get("s", Schema)).key).toBe("v3");
  });

  it("validates a loaded secret once per schema", async () => {
    let checks = 0;
    const Counted = z.object({ key: z.string().check(z.refine(() => ++checks > 0)) });
    const store = new SecretStore({ client: fake([json({ key: "v1" })]).client });
    await store.get("s", Counted);
    await store.get("s", Counted);
    expect(checks).toBe(1);
    await store.get("s", Schema);
    expect(checks).toBe(1);
  });

  it("fetches again after invalidate", async () => {
    const store = new SecretStore({ client: fake([json({ key: "v1" }), json({ key: "v2" })]).client });
    await store.get("s", Schema);
    store.invalidate("s");
    expect((await store.get("s", Schema)).key).toBe("v2");
  });

  it("reads a binary secret as UTF-8 JSON", async () => {
    const store = new SecretStore({ client: fake([{ SecretBinary: new TextEncoder().encode(JSON.stringify({ key: "bin-ä" })) }]).client });
    expect((await store.get("s", Schema)).key).toBe("bin-ä");
  });

  it("turns each Secrets Manager failure into an error that says what to do", async () => {
    const failure = async (answer: Answer) =>
      (await new SecretStore({ client: fake([answer]).client }).get("oro/main", Schema).catch((e: unknown) => e)) as Error & {
        code?: string;
        alertType?: string;
        cause?: unknown;
      };

    const missing = await failure(awsError("ResourceNotFoundException"));
    expect(missing).toBeInstanceOf(ConfigurationError);
    expect(missing.message).toBe('secret "oro/main" does not exist: create it in Secrets Manager (see docs/deploy.md)');
    expect(missing.cause).toMatchObject({ name: "ResourceNotFoundException" });

    const denied = await failure(awsError("AccessDeniedException"));
    expect(denied).toBeInstanceOf(ConfigurationError);
    expect(denied.message).toBe(`not allowed to read secret "oro/main": grant secretsmanager:GetSecretValue on it to this function's role`);
    expect(denied.cause).toMatchObject({ name: "AccessDeniedException" });

    const throttled = await failure(awsError("ThrottlingException"));
    expect(throttled).toBeInstanceOf(TransientError);
    expect(throttled).not.toBeInstanceOf(ConfigurationError);
    expect([throttled.message, throttled.code, throttled.alertType]).toEqual([
      'could not load secret "oro/main": ThrottlingException',
      "SECRETS_UNAVAILABLE",
      "connection",
    ]);
    expect(throttled.cause).toMatchObject({ name: "ThrottlingException" });

    const nameless = await failure(Object.assign(new Error("x"), { name: undefined }));
    expect(nameless.message).toBe('could not load secret "oro/main": Error');

    const empty = await failure({});
    expect(empty).toBeInstanceOf(ConfigurationError);
    expect(empty.message).toBe('secret "oro/main" has no value: store a JSON object in it');

    const notJson = await failure({ SecretString: "key=hunter2-value" });
    expect(notJson).toBeInstanceOf(ConfigurationError);
    expect(notJson.message).toBe('secret "oro/main" is not valid JSON: store a JSON object in it');
  });

  it("lists every wrong field by path, (root) for the whole value", async () => {
    const Nested = z.object({ a: z.object({ b: z.string() }), c: z.number() });
    const fields = await new SecretStore({ client: fake([json({ a: { b: 1 }, c: "x" })]).client }).get("s", Nested).catch((e: Error) => e);
    expect((fields as Error).message).toMatch(/^secret "s" has the wrong shape: a\.b: [^;]+; c: [^;]+$/);
    const root = await new SecretStore({ client: fake([json("just a string")]).client }).get("s", Schema).catch((e: Error) => e);
    expect((root as Error).message).toMatch(/^secret "s" has the wrong shape: \(root\): /);
  });

  it("registers the loaded values for redaction", async () => {
    const redactor = new SecretRedactor();
    expect(redactor.redact("x registered-secret-value y")).toBe("x registered-secret-value y");
    await new SecretStore({ client: fake([json({ key: "registered-secret-value" })]).client, redactor }).get("s", Schema);
    expect(redactor.redact("x registered-secret-value y")).toBe("x *** y");
  });
});
