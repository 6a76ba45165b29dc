/**
 * Unit tests of shared/oro/batch.ts on answers the sandbox (like Oro) does not give but the batch
 * code reads defensively (issue 16, survivors of the "shared/oro: batch" group): a 202 whose body
 * names no operation (the id from Content-Location, or a clear error), upsert keys the sandbox has
 * no resource for (by id, numeric, several fields), and error pointers in every form the parser
 * accepts. The calls are a scripted stand-in for the client (one function under test: runBatch).
 */
import { describe, expect, it } from "vitest";
import { OroAsyncOperationTimeoutError, OroConflictError, OroResponseError, OroValidationError, chunkItems } from "../shared/oro";
import type { BatchItem, ListOptions, OroCalls, OroErrorObject, OroResponse, SendOptions } from "../shared/oro";
import { runBatch } from "../shared/oro/batch";

interface Script {
  /** Answer of each PATCH, in order. */
  sends: Array<OroResponse<unknown> | Error>;
  /** Records each lookup finds. */
  existing?: Array<{ id: string; attributes?: Record<string, unknown> }>;
  /** Errors of the operation. */
  errors?: OroErrorObject[];
  status?: string;
  /** Operation documents without attributes. */
  bareOperation?: boolean;
}

const scripted = (script: Script) => {
  const log: Array<{ call: string; args: unknown[] }> = [];
  const calls: OroCalls = {
    send: async <T>(o: SendOptions) => {
      log.push({ call: "send", args: [o] });
      const answer = script.sends.shift();
      if (!answer) throw new Error("unexpected PATCH");
      if (answer instanceof Error) throw answer;
      return answer as OroResponse<T>;
    },
    get: async (type, id) => {
      log.push({ call: "get", args: [type, id] });
      return { data: { type, id, ...(script.bareOperation ? {} : { attributes: { status: script.status ?? "success" } }) } } as never;
    },
    list: async (type: string, o?: ListOptions) => {
      log.push({ call: "list", args: [type, o] });
      return { data: (script.existing ?? []).map((r) => ({ type, ...r })), included: [] } as never;
    },
    iterate: (type: string) => {
      log.push({ call: "iterate", args: [type] });
      const errors = script.errors ?? [];
      return (async function* () {
        for (const [n, attributes] of errors.entries()) yield { type: "asyncoperationerrors", id: String(n), attributes };
      })() as never;
    },
  };
  return { calls, log };
};

const accepted = (body: unknown, location?: string): OroResponse<unknown> => ({
  status: 202,
  body,
  headers: location === undefined ? {} : { "content-location": location },
});
const item = (id: string, attributes: Record<string, unknown> = {}, meta?: Record<string, unknown>): BatchItem => ({
  data: { type: "things", id, attributes, ...(meta ? { meta } : {}) },
});

describe("batch unit: the operation id of a 202", () => {
  it("takes the id from Content-Location when the body has none, decoded, without query or fragment", async () => {
    const { calls, log } = scripted({ sends: [accepted(undefined, "https://oro.test/admin/api/asyncoperations/op%207?x=1#top")] });
    const result = await runBatch(calls, "things", [item("a")], { mode: "async", pollInitialMs: 1 });
    expect(result.operations).toEqual(["op 7"]);
    expect(log.find((l) => l.call === "get")?.args).toEqual(["asyncoperations", "op 7"]);
    expect(result.items).toEqual([{ index: 0, outcome: "created", id: "a" }]);
  });

  it("stops the id at a slash after it", async () => {
    const { calls } = scripted({ sends: [accepted(undefined, "/admin/api/asyncoperations/12/errors")] });
    expect((await runBatch(calls, "things", [item("a")], { mode: "async", pollInitialMs: 1 })).operations).toEqual(["12"]);
  });

  it("prefers the body's asyncoperations id over the header", async () => {
    const { calls } = scripted({ sends: [accepted({ data: { type: "asyncoperations", id: "41" } }, "/admin/api/asyncoperations/99")] });
    expect((await runBatch(calls, "things", [item("a")], { mode: "async", pollInitialMs: 1 })).operations).toEqual(["41"]);
  });

  it("ignores a body of another type, a body list, or an empty id, and uses the header", async () => {
    for (const body of [
      { data: { type: "things", id: "41" } },
      { data: [{ type: "asyncoperations", id: "41" }] },
      { data: { type: "asyncoperations", id: "" } },
    ]) {
      const { calls } = scripted({ sends: [accepted(body, "/admin/api/asyncoperations/77")] });
      expect((await runBatch(calls, "things", [item("a")], { mode: "async", pollInitialMs: 1 })).operations).toEqual(["77"]);
    }
  });

  it("raises a clear OroResponseError when neither names the operation", async () => {
    for (const location of [undefined, "", "/admin/api/things/5"]) {
      const { calls, log } = scripted({ sends: [accepted({ data: { type: "things", id: "5" } }, location)] });
      const error = await runBatch(calls, "things", [item("a")], { mode: "async" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OroResponseError);
      expect((error as Error).message).toBe("Oro accepted a batch (202) without an asyncoperations id in the body or Content-Location.");
      expect(log.map((l) => l.call)).toEqual(["send"]);
    }
  });

  it("reads the operation of a sync 202 the same way", async () => {
    const { calls } = scripted({ sends: [accepted(undefined, "/admin/api/asyncoperations/5")] });
    const result = await runBatch(calls, "things", [item("a")], { mode: "sync", pollInitialMs: 1 });
    expect(result).toMatchObject({ mode: "sync", operations: ["5"], created: 1 });
  });
});

describe("batch unit: upsert keys", () => {
  const ok = (data: unknown[]): OroResponse<unknown> => ({ status: 200, headers: {}, body: { data } });

  it("looks id keys up by id (fields id) and reads each record's id", async () => {
    const { calls, log } = scripted({ sends: [ok([{ id: "a" }, { id: "b" }])], existing: [{ id: "A" }] });
    const result = await runBatch(calls, "things", [item("a"), item("b")], { upsert: true });
    expect(log[0]).toEqual({ call: "list", args: ["things", { filter: { id: ["a", "b"] }, fields: { things: ["id"] }, page: { size: 2 } }] });
    expect(result.items.map((i) => [i.outcome, i.id])).toEqual([
      ["updated", "a"],
      ["created", "b"],
    ]);
  });

  it('treats upsert ["id"] as the id key', async () => {
    const { calls, log } = scripted({ sends: [ok([{ id: "a" }])], existing: [{ id: "a" }] });
    const result = await runBatch(calls, "things", [item("a")], { upsert: ["id"] });
    expect((log[0]?.args[1] as ListOptions).filter).toEqual({ id: ["a"] });
    expect(result.items[0]?.outcome).toBe("updated");
  });

  it("keys a numeric attribute by its text", async () => {
    const { calls, log } = scripted({ sends: [ok([{ id: "1" }, { id: "2" }])], existing: [{ id: "1", attributes: { code: 7 } }] });
    const result = await runBatch(calls, "things", [item("x", { code: 7 }), item("y", { code: 8 })], { upsert: ["code"] });
    expect((log[0]?.args[1] as ListOptions).filter).toEqual({ code: ["7", "8"] });
    expect(result.items.map((i) => i.outcome)).toEqual(["updated", "created"]);
  });

  it("says upserted without a lookup for a value that is neither text nor number, and for upsert true without an id", async () => {
    const { calls, log } = scripted({ sends: [ok([{ id: "1" }, { id: "2" }])] });
    const items: BatchItem[] = [item("x", { code: { nested: 1 } }, { upsert: ["code"] }), { data: { type: "things", attributes: {}, meta: { upsert: true } } }];
    const result = await runBatch(calls, "things", items);
    expect(log.map((l) => l.call)).toEqual(["send"]); // no key: no lookup
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted", "upserted"]);
  });

  it("says upserted without a lookup for a key of several fields", async () => {
    const { calls, log } = scripted({ sends: [ok([{ id: "1" }])] });
    const result = await runBatch(calls, "things", [item("x", { a: "1", b: "2" })], { upsert: ["a", "b"] });
    expect(log.map((l) => l.call)).toEqual(["send"]);
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted"]);
  });

  it("says upserted without a lookup when the items' keys are on different fields", async () => {
    const { calls, log } = scripted({ sends: [ok([{ id: "1" }, { id: "2" }])] });
    const result = await runBatch(calls, "things", [item("x", { a: "1" }, { upsert: ["a"] }), item("y", { b: "2" }, { upsert: ["b"] })]);
    expect(log.map((l) => l.call)).toEqual(["send"]);
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted", "upserted"]);
  });

  it("creates an item whose meta.upsert is false", async () => {
    const { calls, log } = scripted({ sends: [ok([{ id: "1" }])] });
    const result = await runBatch(calls, "things", [item("x", { a: "1" }, { upsert: false })]);
    expect(log.map((l) => l.call)).toEqual(["send"]);
    expect(result.items.map((i) => i.outcome)).toEqual(["created"]);
  });
});

describe("batch unit: error pointers of an operation", () => {
  const run = (errors: OroErrorObject[], items: BatchItem[]) =>
    runBatch(scripted({ sends: [accepted({ data: { type: "asyncoperations", id: "1" } })], errors }).calls, "things", items, {
      mode: "async",
      pollInitialMs: 1,
    });
  const three = [
    item("a"),
    item("b"),
    {
      ...item("c"),
      included: [
        { type: "parts", id: "p1" },
        { type: "parts", id: "p2" },
      ],
    },
  ];

  it("reads /data/{i} at the end of the pointer, data/{i} without a slash, and propertyPath", async () => {
    const result = await run(
      [
        { status: 400, title: "t0", source: { pointer: "/data/0" } },
        { status: 400, title: "t1", source: { propertyPath: "data/1/attributes/x" } },
        { status: 400, title: "t2", source: { pointer: "/included/1" } },
      ],
      three,
    );
    expect(result.items.map((i) => [i.outcome, i.reason])).toEqual([
      ["failed", "things: t0 at /data (item 0 of the batch)"],
      ["failed", "things: t1 at data/1/attributes/x (item 1 of the batch)"],
      ["failed", "things: t2 at /included/1 (item 2 of the batch)"],
    ]);
    expect(result.operationErrors).toEqual([]);
  });

  it("keeps errors whose pointer names no item apart (success): not at the start, not followed by a slash", async () => {
    const apart: OroErrorObject[] = [
      { status: 400, title: "meta", source: { pointer: "/meta/data/1/x" } },
      { status: 400, title: "glued", source: { pointer: "/data/1x" } },
      { status: 400, title: "inc glued", source: { pointer: "/included/0x" } },
      { status: 400, title: "none" },
    ];
    const result = await run(apart, three);
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "created", "created"]);
    expect(result.operationErrors).toEqual(apart);
  });

  it("keeps errors whose pointer is past the chunk's records apart, never drops them", async () => {
    const past: OroErrorObject[] = [
      { status: 400, title: "past data", source: { pointer: "/data/3/attributes/x" } },
      { status: 400, title: "past included", source: { pointer: "/included/7" } },
    ];
    const result = await run([...past, { status: 400, title: "t0", source: { pointer: "/data/0" } }], three);
    expect(result.items.map((i) => i.outcome)).toEqual(["failed", "created", "created"]);
    expect(result.operationErrors).toEqual(past);
  });

  it("rebases only a leading /data/{i} of the pointer", async () => {
    const result = await run([{ status: 400, title: "t", source: { pointer: "/data/2/relationships/parts/data/1" } }], three);
    expect(result.items[2]?.errors).toEqual([{ status: 400, title: "t", source: { pointer: "/data/relationships/parts/data/1" } }]);
  });

  it("skips an error record without attributes", async () => {
    const calls = scripted({ sends: [accepted({ data: { type: "asyncoperations", id: "1" } })] }).calls;
    calls.iterate = (() =>
      (async function* () {
        yield { type: "asyncoperationerrors", id: "1" };
      })()) as never;
    const result = await runBatch(calls, "things", [item("a")], { mode: "async", pollInitialMs: 1 });
    expect(result.items).toEqual([{ index: 0, outcome: "created", id: "a" }]);
    expect(result.operationErrors).toEqual([]);
  });
});

describe("chunkItems", () => {
  const withIncluded = (n: number): BatchItem => ({ data: { type: "t" }, included: Array.from({ length: n }, (_, i) => ({ type: "i", id: String(i) })) });

  it("makes no chunk of no items", () => {
    expect(chunkItems([], 100, 50)).toEqual([]);
  });

  it("cuts at maxItems", () => {
    expect(chunkItems([withIncluded(0), withIncluded(0), withIncluded(0)], 2, 50)).toEqual([{ indexes: [0, 1] }, { indexes: [2] }]);
  });

  it("cuts before an item whose included records would pass maxIncluded, and fills up to it exactly", () => {
    expect(chunkItems([withIncluded(2), withIncluded(2), withIncluded(1), withIncluded(1)], 100, 4)).toEqual([{ indexes: [0, 1] }, { indexes: [2, 3] }]);
  });

  it("puts an item with more included records than maxIncluded alone, never an empty chunk before it", () => {
    expect(chunkItems([withIncluded(5), withIncluded(1)], 100, 4)).toEqual([{ indexes: [0] }, { indexes: [1] }]);
  });
});

describe("batch unit: edges of the answers", () => {
  const ctx = (status: number, errors: OroErrorObject[]) => ({ status, method: "PATCH", path: "/admin/api/things", resourceType: "things", errors });

  it("takes a 200 without a body as success without ids (no id member at all)", async () => {
    const { calls } = scripted({ sends: [{ status: 200, headers: {}, body: undefined }] });
    const result = await runBatch(calls, "things", [{ data: { type: "things", attributes: {} } }]);
    expect(result.items).toStrictEqual([{ index: 0, outcome: "created" }]);
  });

  it("raises a sync 409 whose errors name no item, without resending", async () => {
    const conflict = new OroConflictError(ctx(409, [{ status: "409", title: "conflict constraint", detail: "The entity already exists." }]));
    const { calls, log } = scripted({ sends: [conflict] });
    await expect(runBatch(calls, "things", [item("a"), item("b")], { mode: "sync" })).rejects.toBe(conflict);
    expect(log.map((l) => l.call)).toEqual(["send"]);
  });

  it("fails a whole sync chunk on a 400 whose errors name no item, with the error's message", async () => {
    const refused = new OroValidationError(ctx(400, [{ status: "400", title: "request data constraint", detail: "Too big." }]));
    const { calls, log } = scripted({ sends: [refused] });
    const result = await runBatch(calls, "things", [item("a"), item("b")], { mode: "sync" });
    expect(result.items.map((i) => [i.outcome, i.reason])).toEqual([
      ["failed", refused.message],
      ["failed", refused.message],
    ]);
    expect(log.map((l) => l.call)).toEqual(["send"]);
  });

  it("joins several operation errors of a failed operation with '; '", async () => {
    const { calls } = scripted({
      sends: [accepted({ data: { type: "asyncoperations", id: "3" } })],
      status: "failed",
      errors: [
        { status: 400, title: "first", detail: "A." },
        { status: 400, title: "second", detail: "B." },
      ],
    });
    const result = await runBatch(calls, "things", [item("a")], { mode: "async", pollInitialMs: 1 });
    expect(result.items[0]?.reason).toBe('things: async operation 3 ended "failed": first: A.; second: B.');
  });

  it("keeps polling an operation document without attributes until the timeout", async () => {
    const { calls, log } = scripted({ sends: [accepted({ data: { type: "asyncoperations", id: "4" } })], bareOperation: true });
    const error = await runBatch(calls, "things", [item("a")], { mode: "async", pollInitialMs: 1, pollTimeoutMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OroAsyncOperationTimeoutError);
    expect(log.filter((l) => l.call === "get")).toHaveLength(1);
  });

  it('does not take a key of several fields that starts with "id" for the id key', async () => {
    const { calls, log } = scripted({ sends: [{ status: 200, headers: {}, body: { data: [{ id: "a" }] } }], existing: [{ id: "a" }] });
    const result = await runBatch(calls, "things", [item("a", { code: "c" })], { upsert: ["id", "code"] });
    expect(log.map((l) => l.call)).toEqual(["send"]);
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted"]);
  });

  it("counts a found record without attributes as not existing", async () => {
    const { calls } = scripted({ sends: [{ status: 200, headers: {}, body: { data: [{ id: "1" }] } }], existing: [{ id: "1" }] });
    const result = await runBatch(calls, "things", [item("x", { code: "c" })], { upsert: ["code"] });
    expect(result.items.map((i) => i.outcome)).toEqual(["created"]);
  });
});

describe("batch unit: the batch's upsert option", () => {
  it("leaves an item's own meta as it is (sent unchanged)", async () => {
    const { calls, log } = scripted({ sends: [{ status: 200, headers: {}, body: { data: [{ id: "a" }, { id: "b" }] } }] });
    await runBatch(calls, "things", [item("a", { code: "c" }, { update: true }), item("b", { code: "d" })], { upsert: ["code"], resolveUpsertOutcomes: false });
    const sent = log.find((l) => l.call === "send")?.args[0] as SendOptions;
    expect((sent.body as { data: Array<{ meta: unknown }> }).data.map((d) => d.meta)).toStrictEqual([{ update: true }, { upsert: ["code"] }]);
  });

  it("makes no key of a field name that is not text (no lookup; Oro refuses such a meta.upsert anyway)", async () => {
    const { calls, log } = scripted({ sends: [{ status: 200, headers: {}, body: { data: [{ id: "a" }] } }] });
    const result = await runBatch(calls, "things", [item("a", { "5": "x" }, { upsert: [5] })]);
    expect(log.map((l) => l.call)).toEqual(["send"]);
    expect(result.items.map((i) => i.outcome)).toEqual(["upserted"]);
  });
});

describe("batch unit: /included/{j} pointers", () => {
  const eleven = { ...item("c"), included: Array.from({ length: 11 }, (_, j) => ({ type: "parts", id: `p${j}` })) };
  const run = (errors: OroErrorObject[]) =>
    runBatch(scripted({ sends: [accepted({ data: { type: "asyncoperations", id: "1" } })], errors }).calls, "things", [item("a"), eleven], {
      mode: "async",
      pollInitialMs: 1,
    });

  it("reads two-digit indexes, included/{j} without a slash, and keeps the pointer of an included record as it is", async () => {
    const result = await run([
      { status: 400, title: "ten", source: { pointer: "/included/10/relationships/parts/data/3" } },
      { status: 400, title: "path", source: { propertyPath: "included/0/attributes/x" } },
    ]);
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "failed"]);
    expect(result.items[1]?.errors).toEqual([
      { status: 400, title: "ten", source: { pointer: "/included/10/relationships/parts/data/3" } },
      { status: 400, title: "path", source: { propertyPath: "included/0/attributes/x" } },
    ]);
  });

  it("keeps an error whose included/{j} is not at the start apart", async () => {
    const apart = [{ status: 400, title: "meta", source: { pointer: "/meta/included/0/x" } }];
    const result = await run(apart);
    expect(result.items.map((i) => i.outcome)).toEqual(["created", "created"]);
    expect(result.operationErrors).toEqual(apart);
  });
});
