import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_KEY_KEEP_SECONDS, AlertKeyBusyError, AlertKeyLeases, alertIdOf, alertStateKey, LEASE_GRACE_MS } from "../functions/notifier";
import { type LocalDynamoDb, startLocalDynamoDb } from "../local-stack/dynamodb";
import { StateLeases } from "../shared/state";

/**
 * Leases on state items (shared/state/lease.ts) and the notifier's use of them
 * (functions/notifier/alert-lease.ts), against dynalite with the real SDK. Clocks are injected,
 * so a lease "runs out" by the clock's value, not by waiting.
 */
let dynamodb: LocalDynamoDb;
let tableName: string;

beforeAll(async () => {
  dynamodb = await startLocalDynamoDb();
  tableName = await dynamodb.createStateTable("lease-test");
});
afterAll(async () => {
  await dynamodb?.stop();
});

const leasesAt = (clock: { ms: number }) => new StateLeases({ tableName, client: async () => dynamodb.client, now: () => clock.ms });
const item = async (pk: string, sk: string) =>
  (await dynamodb.client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }))).Item;
const key = { sourceType: "akeneo-main", resourceType: "products", operation: "import", step: "write", itemId: 7, externalId: "SKU-7" };
const options = (owner: string, until: number, firstGeneration = "g-first") => ({ owner, until, firstGeneration, keepSeconds: 60 });

describe("StateLeases", () => {
  it("gives a key to one holder until it releases it; the generation is made once and kept", async () => {
    const clock = { ms: 1_000_000 };
    const leases = leasesAt(clock);
    const k = { pk: "alert#one", sk: "lease" };
    expect(await leases.acquire(k, options("a", clock.ms + 5_000))).toEqual({ generation: "g-first" });
    expect(await leases.acquire(k, options("b", clock.ms + 5_000, "g-other"))).toBeUndefined();
    expect(await leases.release(k, { owner: "b", keepSeconds: 60 })).toBe(false);
    expect(await leases.release(k, { owner: "a", keepSeconds: 60 })).toBe(true);
    expect(await leases.acquire(k, options("b", clock.ms + 5_000, "g-other"))).toEqual({ generation: "g-first" });
    expect(await item(k.pk, k.sk)).toEqual({
      pk: { S: k.pk },
      sk: { S: "lease" },
      leaseOwner: { S: "b" },
      leasedUntil: { N: String(clock.ms + 5_000) },
      generation: { S: "g-first" },
      expiresAt: { N: String(1_000 + 60) },
    });
  });

  it("frees a lease that ran out (a holder that crashed) and stops that holder from releasing the next one's", async () => {
    const clock = { ms: 2_000_000 };
    const leases = leasesAt(clock);
    const k = { pk: "alert#two", sk: "lease" };
    await leases.acquire(k, options("crashed", clock.ms + 1_000));
    clock.ms += 1_000;
    expect(await leases.acquire(k, options("next", clock.ms + 1_000))).toBeUndefined();
    clock.ms += 1;
    expect(await leases.acquire(k, options("next", clock.ms + 1_000))).toEqual({ generation: "g-first" });
    expect(await leases.release(k, { owner: "crashed", keepSeconds: 60 })).toBe(false);
    expect((await item(k.pk, k.sk))?.leaseOwner).toEqual({ S: "next" });
  });

  it("stores a new generation on release when asked, and keeps the item for keepSeconds", async () => {
    const clock = { ms: 3_000_000 };
    const leases = leasesAt(clock);
    const k = { pk: "alert#three", sk: "lease" };
    await leases.acquire(k, options("a", clock.ms + 1_000));
    clock.ms += 500;
    expect(await leases.release(k, { owner: "a", keepSeconds: 90, newGeneration: "g-second" })).toBe(true);
    expect(await item(k.pk, k.sk)).toEqual({ pk: { S: k.pk }, sk: { S: "lease" }, generation: { S: "g-second" }, expiresAt: { N: String(3_000 + 90) } });
    expect(await leases.acquire(k, options("b", clock.ms + 1_000))).toEqual({ generation: "g-second" });
  });

  it("reports a table it cannot reach as an error, not as a busy key", async () => {
    const leases = new StateLeases({ tableName: "no-such-table", client: async () => dynamodb.client });
    await expect(leases.acquire({ pk: "alert#x", sk: "lease" }, options("a", Date.now() + 1_000))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(leases.release({ pk: "alert#x", sk: "lease" }, { owner: "a", keepSeconds: 60 })).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});

describe("AlertKeyLeases", () => {
  const invocation = (deadlineAt: number, signal: AbortSignal = new AbortController().signal) => ({ signal, deadlineAt });

  it("keys items by the resolve key's hash (every alertType of a record shares one lease) and leases until the deadline + grace", async () => {
    expect(alertStateKey(key)).toEqual({ pk: expect.stringMatching(/^alert#[0-9a-f]{64}$/), sk: "lease" });
    expect(alertStateKey({ ...key, alertType: "sync" } as never)).toEqual(alertStateKey(key));
    expect(alertStateKey({ ...key, externalId: "SKU-8" })).not.toEqual(alertStateKey(key));
    const keys = new AlertKeyLeases({ leases: leasesAt({ ms: Date.now() }) });
    const deadlineAt = Date.now() + 30_000;
    await keys.run({ ...key, externalId: "SKU-deadline" }, invocation(deadlineAt), async () => {
      expect((await item(alertStateKey({ ...key, externalId: "SKU-deadline" }).pk, "lease"))?.leasedUntil).toEqual({ N: String(deadlineAt + LEASE_GRACE_MS) });
      return { result: undefined };
    });
  });

  it("derives one UUID per key and generation (RFC 4122 version 5 layout)", () => {
    const alertKey = { ...key, alertType: "validation" };
    const id = alertIdOf(alertKey, "g1");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(alertIdOf({ ...alertKey }, "g1")).toBe(id);
    expect(alertIdOf(alertKey, "g2")).not.toBe(id);
    expect(alertIdOf({ ...alertKey, alertType: "sync" }, "g1")).not.toBe(id);
  });

  it("waits for a key another invocation holds, then runs once it is released", async () => {
    const leases = new StateLeases({ tableName, client: async () => dynamodb.client });
    const keys = new AlertKeyLeases({ leases });
    const k = alertStateKey({ ...key, externalId: "SKU-wait" });
    await leases.acquire(k, options("other", Date.now() + 60_000));
    const order: string[] = [];
    // The other holder releases after the first refused acquire (the waits counter says when), not after a delay.
    const running = keys.run({ ...key, externalId: "SKU-wait" }, invocation(Date.now() + 30_000), async () => (order.push("work"), { result: "done" }));
    while (keys.waits === 0) await new Promise((resolve) => setImmediate(resolve));
    order.push("released");
    await leases.release(k, { owner: "other", keepSeconds: 60 });
    expect(await running).toBe("done");
    expect(order).toEqual(["released", "work"]);
  });

  it("gives up on a key held past maxWaitMs with ALERT_KEY_BUSY (a transient error: retried through SQS)", async () => {
    const leases = new StateLeases({ tableName, client: async () => dynamodb.client });
    const clock = { ms: Date.now() };
    const keys = new AlertKeyLeases({ leases, maxWaitMs: 1_000, now: () => (clock.ms += 400), random: () => 0 });
    await leases.acquire(alertStateKey({ ...key, externalId: "SKU-busy" }), options("other", Date.now() + 60_000));
    let ran = false;
    const error = await keys
      .run({ ...key, externalId: "SKU-busy" }, invocation(Date.now() + 30_000), async () => ((ran = true), { result: undefined }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertKeyBusyError);
    expect((error as AlertKeyBusyError).code).toBe("ALERT_KEY_BUSY");
    expect((error as AlertKeyBusyError).name).toBe("AlertKeyBusyError");
    expect((error as AlertKeyBusyError).message).toBe(
      'another notifier invocation is writing the alerts of ["akeneo-main","products",null,"import","write",7,"SKU-busy"]; retrying later',
    );
    expect((error as AlertKeyBusyError).kind).toBe("transient");
    expect(ran).toBe(false);
    expect(keys.waits).toBe(3);
  });

  it("releases after failed work (the next fold may start), but not when the deadline aborted it (a cut-off write may still land)", async () => {
    const leases = new StateLeases({ tableName, client: async () => dynamodb.client });
    const keys = new AlertKeyLeases({ leases });
    const failed = { ...key, externalId: "SKU-failed" };
    await expect(keys.run(failed, invocation(Date.now() + 30_000), async () => Promise.reject(new Error("Oro answered 503")))).rejects.toThrow(
      "Oro answered 503",
    );
    expect((await item(alertStateKey(failed).pk, "lease"))?.leaseOwner).toBeUndefined();

    const cut = { ...key, externalId: "SKU-cut" };
    const controller = new AbortController();
    await expect(
      keys.run(cut, invocation(Date.now() + 30_000, controller.signal), async () => {
        controller.abort();
        throw new Error("aborted");
      }),
    ).rejects.toThrow("aborted");
    expect((await item(alertStateKey(cut).pk, "lease"))?.leaseOwner?.S).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("stores the work's new generation on release", async () => {
    const leases = new StateLeases({ tableName, client: async () => dynamodb.client });
    const keys = new AlertKeyLeases({ leases });
    const k = { ...key, externalId: "SKU-gen" };
    const first = await keys.run(k, invocation(Date.now() + 30_000), async (generation) => ({ result: generation, newGeneration: "g-next" }));
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await keys.run(k, invocation(Date.now() + 30_000), async (generation) => ({ result: generation }))).toBe("g-next");
    expect((await item(alertStateKey(k).pk, "lease"))?.expiresAt?.N).toMatch(/^\d+$/);
    expect(Number((await item(alertStateKey(k).pk, "lease"))?.expiresAt?.N) - Math.floor(Date.now() / 1000)).toBeGreaterThan(ALERT_KEY_KEEP_SECONDS - 60);
  });
});
