/**
 * The exact calls shared/oro/batch.ts makes (issue 16, survivors of the "shared/oro: batch" group).
 * The batch runs on the real client's calls against the Oro sandbox over HTTP; a recording layer
 * in between logs every call's arguments (and, for the abort tests, fires the signal right after
 * a given call), so the tests can state which requests went out with which parameters.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpDeadlineError, closeAll } from "../shared/http";
import { OroTransport, createOroClient } from "../shared/oro";
import type { BatchItem, BatchOptions, BatchResult, ListOptions, OroCalls, OroClientOptions, SendOptions } from "../shared/oro";
import { runBatch } from "../shared/oro/batch";
import { startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";

const CLIENT_ID = "oro-batch-requests";
const CLIENT_SECRET = "sandbox-secret-for-batch-requests";
let oro: OroSandbox;

beforeAll(async () => {
  oro = await startOroSandbox({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, asyncDelayMs: 5 });
});
afterAll(async () => {
  await closeAll();
  await oro.stop();
});
beforeEach(async () => {
  await oro.admin.reset();
  await oro.admin.resetStats();
});

type Call = ["send", SendOptions] | ["get", string, string, unknown] | ["list", string, ListOptions | undefined] | ["iterate", string, ListOptions | undefined];

interface Hooks {
  /** Called after each call answered (or failed), with the log so far. */
  after?: (call: Call, log: Call[]) => void;
  /** Replaces `list` (to throw what Oro cannot). */
  list?: OroCalls["list"];
}

/** The real client's calls to `sandbox`, each logged. */
const recordingCalls = (sandbox: OroSandbox, hooks: Hooks = {}): { calls: OroCalls; log: Call[] } => {
  const options: OroClientOptions = {
    getConnection: async () => ({ baseUrl: sandbox.url, apiPrefix: "/admin/api", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    retry: { baseMs: 5, capMs: 50 },
  };
  const client = createOroClient(options);
  const transport = new OroTransport(options);
  const log: Call[] = [];
  const logged = async <T>(call: Call, run: () => Promise<T>): Promise<T> => {
    log.push(call);
    try {
      return await run();
    } finally {
      hooks.after?.(call, log);
    }
  };
  const calls: OroCalls = {
    send: (o) => logged(["send", o], () => transport.send(o)),
    get: (type, id, o) => logged(["get", type, id, o], () => client.get(type, id, o)),
    list: (type, o) => logged(["list", type, o], () => (hooks.list ?? client.list.bind(client))(type, o)),
    iterate: (type, o) => {
      log.push(["iterate", type, o]);
      return client.iterate(type, o);
    },
  };
  return { calls, log };
};

const customer = (externalId: string, name = `Customer ${externalId}`): BatchItem => ({ data: { type: "customers", attributes: { name, externalId } } });
const order = (identifier: string): BatchItem => ({
  data: {
    type: "orders",
    attributes: { identifier, poNumber: "PO", currency: "USD" },
    relationships: { customer: { data: { type: "customers", id: "1" } }, lineItems: { data: [{ type: "orderlineitems", id: `l-${identifier}` }] } },
  },
  included: [
    {
      type: "orderlineitems",
      id: `l-${identifier}`,
      attributes: { quantity: 1, value: "2", currency: "USD" },
      relationships: { product: { data: { type: "products", id: "1" } }, productUnit: { data: { type: "productunits", id: "each" } } },
    },
  ],
});
const run = (calls: OroCalls, type: string, items: BatchItem[], options?: BatchOptions): Promise<BatchResult> => runBatch(calls, type, items, options);

describe("batch requests: sync", () => {
  it("looks the upsert keys up with exactly filter, fields and page[size], then PATCHes data and included", async () => {
    const { calls, log } = recordingCalls(oro);
    const items = [order("RQ-1"), order("RQ-2")];
    const result = await run(calls, "orders", items, { upsert: ["identifier"] });
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "created"]);
    const upserted = items.map((item) => ({ ...item.data, meta: { upsert: ["identifier"] } }));
    // toStrictEqual: no member set to undefined either (e.g. no `signal: undefined` without a signal).
    expect(log).toStrictEqual([
      ["list", "orders", { filter: { identifier: ["RQ-1", "RQ-2"] }, fields: { orders: ["identifier"] }, page: { size: 2 } }],
      [
        "send",
        {
          method: "PATCH",
          path: "orders",
          headers: { "x-mode": "sync" },
          body: { data: upserted, included: items.flatMap((i) => i.included ?? []) },
          retrySafe: true,
          resourceType: "orders",
        },
      ],
    ]);
  });

  it("sends no included member when no item brings any, and marks a chunk of creates not retry-safe", async () => {
    const { calls, log } = recordingCalls(oro);
    await run(calls, "customers", [customer("RQ-C1")]);
    expect(log).toStrictEqual([
      [
        "send",
        {
          method: "PATCH",
          path: "customers",
          headers: { "x-mode": "sync" },
          body: { data: [customer("RQ-C1").data] },
          retrySafe: false,
          resourceType: "customers",
        },
      ],
    ]);
  });

  it("passes the caller's signal to every call", async () => {
    const { calls, log } = recordingCalls(oro);
    const signal = new AbortController().signal;
    await run(calls, "orders", [order("SIG-1")], { upsert: ["identifier"], signal });
    expect(log.map((call) => (call[0] === "send" ? call[1].signal : call[0] === "list" ? call[2]?.signal : undefined))).toEqual([signal, signal]);
    const async = recordingCalls(oro);
    await run(async.calls, "customers", [customer("SIG-2")], { mode: "async", pollInitialMs: 5, signal });
    const signals = async.log.map((call) =>
      call[0] === "send" ? call[1].signal : call[0] === "get" ? (call[3] as { signal?: AbortSignal }).signal : call[2]?.signal,
    );
    expect(signals.length).toBeGreaterThanOrEqual(3);
    expect(signals.every((s) => s === signal)).toBe(true);
  });
});

describe("batch requests: async", () => {
  it("submits without X-Mode, polls the operation by id and reads its errors 100 per page", async () => {
    const { calls, log } = recordingCalls(oro);
    const result = await run(calls, "customers", [customer("AS-1")], { mode: "async", pollInitialMs: 5 });
    const id = result.operations[0] as string;
    expect(log[0]).toEqual([
      "send",
      { method: "PATCH", path: "customers", body: { data: [customer("AS-1").data] }, retrySafe: false, resourceType: "customers" },
    ]);
    const polls = log.filter((call) => call[0] === "get");
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((call) => call[1] === "asyncoperations" && call[2] === id)).toBe(true);
    expect(polls.every((call) => Object.keys(call[3] as object).length === 0)).toBe(true);
    expect(log.at(-1)).toStrictEqual(["iterate", `asyncoperations/${id}/errors`, { page: { size: 100 } }]);
  });
});

describe("batch requests: lookup failures", () => {
  it("stops the batch when the signal fires during the lookup: the deadline error, no PATCH", async () => {
    const controller = new AbortController();
    const { calls, log } = recordingCalls(oro, {
      list: () => {
        controller.abort();
        return Promise.reject(new HttpDeadlineError({ method: "GET", url: "orders", attempts: 1 }));
      },
    });
    const error = await run(calls, "orders", [order("DL-1")], { upsert: ["identifier"], signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpDeadlineError);
    expect((error as HttpDeadlineError).url).toBe("orders");
    expect(log.map((call) => call[0])).toEqual(["list"]);
  });

  it("raises an error that is not a connector error instead of writing without outcomes", async () => {
    const { calls, log } = recordingCalls(oro, { list: () => Promise.reject(new TypeError("lookup broke")) });
    await expect(run(calls, "orders", [order("TE-1")], { upsert: ["identifier"] })).rejects.toThrow(new TypeError("lookup broke"));
    expect(log.map((call) => call[0])).toEqual(["list"]);
  });
});

describe("batch requests: abort while waiting", () => {
  it("stops at once when the signal fires during the poll sleep: one poll, a deadline error naming the operation", async () => {
    // An operation that stays "new" longer than this test lasts.
    const slow = await startOroSandbox({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, asyncDelayMs: 60_000 });
    try {
      const controller = new AbortController();
      const { calls, log } = recordingCalls(slow, {
        after: (call) => {
          if (call[0] === "get") controller.abort();
        },
      });
      const error = await run(calls, "customers", [customer("AB-0")], { mode: "async", pollInitialMs: 2_000, signal: controller.signal }).catch(
        (e: unknown) => e,
      );
      const id = (await slow.admin.state<Array<{ id: string }>>("asyncoperations"))[0]?.id as string;
      expect(error).toBeInstanceOf(HttpDeadlineError);
      expect((error as Error).message).toBe(
        `GET asyncoperations/${id} stopped after 0 attempt(s): the call hit its deadline (the caller's abort signal fired, e.g. the Lambda is about to time out); the record will be retried`,
      );
      expect(log.map((call) => call[0])).toEqual(["send", "get"]);
    } finally {
      await slow.stop();
    }
  });
});
