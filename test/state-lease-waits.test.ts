import type * as timers from "node:timers/promises";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { AlertKeyBusyError, AlertKeyLeases, alertStateKey, LEASE_GRACE_MS } from "../functions/notifier";
import { type LocalDynamoDb, startLocalDynamoDb } from "../local-stack/dynamodb";
import { StateLeases } from "../shared/state";

/**
 * How long the notifier waits for an alert key another invocation holds
 * (functions/notifier/alert-lease.ts): the exact back-off of each wait, the total-wait bound, the
 * deadline signal cutting a wait, and the lease taken after a wait. Real leases on dynalite; only
 * `node:timers/promises`' setTimeout is wrapped, to record each wait's length and to act at the
 * moment a wait starts (an event, not a delay). The waits themselves still run on the real timer.
 */
const sleeps = vi.hoisted(() => ({
  delays: [] as number[],
  /** Runs when a wait starts, before the real timer is set. */
  onSleep: undefined as (() => Promise<void> | void) | undefined,
}));
vi.mock("node:timers/promises", async (importOriginal) => {
  const real = await importOriginal<typeof timers>();
  return {
    ...real,
    setTimeout: async (ms: number, value?: unknown, options?: { signal?: AbortSignal }) => {
      sleeps.delays.push(ms);
      await sleeps.onSleep?.();
      return real.setTimeout(ms, value, options);
    },
  };
});

let dynamodb: LocalDynamoDb;
let tableName: string;
let leases: StateLeases;

beforeAll(async () => {
  dynamodb = await startLocalDynamoDb();
  tableName = await dynamodb.createStateTable("lease-waits");
  leases = new StateLeases({ tableName, client: async () => dynamodb.client });
});
afterAll(async () => {
  await dynamodb?.stop();
});
beforeEach(() => {
  sleeps.delays = [];
  sleeps.onSleep = undefined;
});

const key = (externalId: string) => ({ sourceType: "akeneo-main", resourceType: "products", operation: "import", step: "write", itemId: 7, externalId });
const item = async (externalId: string) =>
  (
    await dynamodb.client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: alertStateKey(key(externalId)).pk }, sk: { S: "lease" } }, ConsistentRead: true }),
    )
  ).Item;
/** Another invocation takes the key for a minute. */
const holdByOther = (externalId: string) =>
  leases.acquire(alertStateKey(key(externalId)), { owner: "other", until: Date.now() + 60_000, firstGeneration: "g-other", keepSeconds: 60 });
const releaseByOther = (externalId: string) => leases.release(alertStateKey(key(externalId)), { owner: "other", keepSeconds: 60 });
const invocation = (signal: AbortSignal = new AbortController().signal, deadlineAt = Date.now() + 30_000) => ({ signal, deadlineAt });
/** A clock that moves `stepMs` on every read. */
const ticking = (stepMs: number) => {
  let ms = 1_000_000;
  return () => (ms += stepMs);
};

describe("AlertKeyLeases: waiting for a busy key", () => {
  it("waits random x step, the step doubling from 20 ms up to 500 ms, and gives up once maxWaitMs have passed (at exactly maxWaitMs)", async () => {
    await holdByOther("SKU-steps");
    // The clock is read once at the start and once per refused attempt, 100 ms apart: refused
    // attempt n is n x 100 ms after the start.
    const keys = new AlertKeyLeases({ leases, now: ticking(100), random: () => 0.5, maxWaitMs: 700 });
    let ran = false;
    const error = await keys.run(key("SKU-steps"), invocation(), async () => ((ran = true), { result: undefined })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertKeyBusyError);
    expect(ran).toBe(false);
    // Attempt 7 is 700 ms after the start: >= maxWaitMs, so no 7th wait.
    expect(keys.waits).toBe(7);
    // 0.5 x 20, 40, 80, 160, 320, then 500 (capped).
    expect(sleeps.delays).toEqual([10, 20, 40, 80, 160, 250]);
  });

  it("waits at least 1 ms when the random draw is 0", async () => {
    await holdByOther("SKU-floor");
    const keys = new AlertKeyLeases({ leases, now: ticking(100), random: () => 0, maxWaitMs: 300 });
    await expect(keys.run(key("SKU-floor"), invocation(), async () => ({ result: undefined }))).rejects.toBeInstanceOf(AlertKeyBusyError);
    expect(keys.waits).toBe(3);
    expect(sleeps.delays).toEqual([1, 1]);
  });

  it("stops waiting when the invocation's deadline signal fires during a wait (AbortError, the work never runs)", async () => {
    await holdByOther("SKU-abort");
    const controller = new AbortController();
    // The deadline fires as the first wait starts.
    sleeps.onSleep = () => controller.abort();
    // Without the signal, the waits would go on until maxWaitMs (3 attempts on this clock) and end busy.
    const keys = new AlertKeyLeases({ leases, now: ticking(1_000), random: () => 0.5, maxWaitMs: 3_000 });
    let ran = false;
    const error = await keys.run(key("SKU-abort"), invocation(controller.signal), async () => ((ran = true), { result: undefined })).catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(ran).toBe(false);
    expect(keys.waits).toBe(1);
    expect(sleeps.delays).toEqual([10]);
  });

  it("leases until the deadline + grace also when it got the key after waiting", async () => {
    await holdByOther("SKU-after-wait");
    // The other invocation lets go as the first wait starts.
    sleeps.onSleep = async () => void (await releaseByOther("SKU-after-wait"));
    const keys = new AlertKeyLeases({ leases, random: () => 0.5 });
    const deadlineAt = Date.now() + 30_000;
    const until = await keys.run(key("SKU-after-wait"), invocation(undefined, deadlineAt), async (generation) => ({
      result: [generation, (await item("SKU-after-wait"))?.leasedUntil?.N],
    }));
    expect(until).toEqual(["g-other", String(deadlineAt + LEASE_GRACE_MS)]);
    expect(keys.waits).toBe(1);
    expect(sleeps.delays).toEqual([10]);
  });
});

describe("AlertKeyLeases: releasing", () => {
  it("releases after work that finished even if the deadline fired meanwhile (its writes have landed), with the new generation", async () => {
    const controller = new AbortController();
    const keys = new AlertKeyLeases({ leases });
    const result = await keys.run(key("SKU-finished-late"), invocation(controller.signal), async () => {
      controller.abort();
      return { result: "landed", newGeneration: "g-after-resolve" };
    });
    expect(result).toBe("landed");
    const after = await item("SKU-finished-late");
    expect(after?.leaseOwner).toBeUndefined();
    expect(after?.leasedUntil).toBeUndefined();
    expect(after?.generation).toEqual({ S: "g-after-resolve" });
    expect(keys.waits).toBe(0);
    expect(sleeps.delays).toEqual([]);
  });
});
