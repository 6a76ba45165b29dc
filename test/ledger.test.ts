import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalDynamoDb, type LocalDynamoDb } from "../local-stack/dynamodb";
import { deltaOf, mayMove, NO_RECORDS, outcomeOf, RunLedger, type RunStatus, tally, type UnitCounts } from "../shared/ledger";

const units = (over: Partial<UnitCounts>): UnitCounts => ({
  pagesPlanned: 0,
  pagesDone: 0,
  pagesDeadLettered: 0,
  listingPlanned: 0,
  listingDone: 0,
  listingDeadLettered: 0,
  ...over,
});

describe("run ledger: state transitions (pure)", () => {
  it("a run is running until every listing step and page is settled", () => {
    expect(outcomeOf(units({}))).toBe("running");
    expect(outcomeOf(units({ listingPlanned: 1, listingDone: 1, pagesPlanned: 3, pagesDone: 2 }))).toBe("running");
    expect(outcomeOf(units({ listingPlanned: 2, listingDone: 1, pagesPlanned: 3, pagesDone: 3 }))).toBe("running");
    expect(outcomeOf(units({ listingPlanned: 1, listingDone: 1, pagesPlanned: 3, pagesDone: 3 }))).toBe("succeeded");
    expect(outcomeOf(units({ listingPlanned: 1, listingDone: 1, pagesPlanned: 3, pagesDone: 2, pagesDeadLettered: 1 }))).toBe("partly failed");
    expect(outcomeOf(units({ listingPlanned: 2, listingDone: 1, listingDeadLettered: 1, pagesPlanned: 3, pagesDone: 3 }))).toBe("failed");
    // A pushed message is a run of one page.
    expect(outcomeOf(units({ pagesPlanned: 1, pagesDone: 1 }))).toBe("succeeded");
    // Nothing landed: failed, not partly.
    expect(outcomeOf(units({ pagesPlanned: 1, pagesDeadLettered: 1 }))).toBe("failed");
    expect(outcomeOf(units({ listingPlanned: 1, listingDone: 1, pagesPlanned: 2, pagesDeadLettered: 2 }))).toBe("failed");
  });

  it("allows open only when new, dead only from open, done from anything but done", () => {
    expect([mayMove(undefined, "open"), mayMove("open", "open"), mayMove("dead", "open")]).toEqual([true, false, false]);
    expect([mayMove(undefined, "dead"), mayMove("open", "dead"), mayMove("dead", "dead"), mayMove("done", "dead")]).toEqual([true, true, false, false]);
    expect([mayMove(undefined, "done"), mayMove("open", "done"), mayMove("dead", "done"), mayMove("done", "done")]).toEqual([true, true, true, false]);
  });

  it("a redriven page's counts replace its dead-lettered attempt's", () => {
    const d = deltaOf(
      "page",
      { state: "dead", records: { read: 2, written: 1, skipped: 0, failed: 0 } },
      { state: "done", records: { read: 2, written: 2, skipped: 0, failed: 0 } },
    );
    expect(d).toEqual({ units: units({ pagesDeadLettered: -1, pagesDone: 1 }), records: { read: 0, written: 1, skipped: 0, failed: 0 } });
    expect(deltaOf("listing", undefined, { state: "open", records: NO_RECORDS }).units).toEqual(units({ listingPlanned: 1 }));
  });

  it("tallies units by kind and state", () => {
    const t = tally([
      { id: "w", kind: "listing", state: "done", records: { read: 5, written: 0, skipped: 0, failed: 0 } },
      { id: "p1", kind: "page", state: "done", records: { read: 0, written: 3, skipped: 1, failed: 0 } },
      { id: "p2", kind: "page", state: "dead", records: { read: 0, written: 0, skipped: 0, failed: 1 } },
      { id: "p3", kind: "page", state: "open", records: NO_RECORDS },
    ]);
    expect(t).toEqual({
      units: units({ listingPlanned: 1, listingDone: 1, pagesPlanned: 3, pagesDone: 1, pagesDeadLettered: 1 }),
      records: { read: 5, written: 3, skipped: 1, failed: 1 },
    });
  });
});

describe("run ledger on dynalite (real SDK)", () => {
  let db: LocalDynamoDb;
  let table: string;
  beforeAll(async () => {
    db = await startLocalDynamoDb();
    table = await db.createStateTable("ledger-test");
  });
  afterAll(async () => db.stop());

  const setup = () => {
    const statuses: RunStatus[] = [];
    const requests: string[] = [];
    const ledger = new RunLedger({
      tableName: table,
      client: async () => db.client,
      onFinished: async (status) => void statuses.push(status),
      onRequest: (c) => requests.push(c),
    });
    return { ledger, statuses, requests };
  };
  let runs = 0;
  const newRun = () => ({ integration: "erp-main", connector: "erp-stock", runId: `2026-12-01T10:00:00Z-${++runs}` });
  const read = (n: number) => ({ read: n, written: n, skipped: 0, failed: 0 });

  it("a window of 3 pages delivered three times each ends as one succeeded run with exact counts, reported once", async () => {
    const { ledger, statuses } = setup();
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    await ledger.open(root);
    await ledger.plan(
      run,
      [1, 2, 3].map((i) => ({ unitId: `${run.runId}/page-${i}`, kind: "page" as const })),
    );
    await ledger.settle(
      root,
      "done",
      { read: 6, written: 0, skipped: 0, failed: 0 },
      { window: { from: "2026-12-01T09:40:00.000Z", to: "2026-12-01T10:00:00.000Z" } },
    );
    const pages = [1, 2, 3].map((i) => ({ ...run, unitId: `${run.runId}/page-${i}`, kind: "page" as const }));
    // Every page three times, all at once: only one of each three counts.
    const results = await Promise.all(
      pages.flatMap((page) => [0, 1, 2].map(() => ledger.settle(page, "done", { read: 0, written: 2, skipped: 0, failed: 0 }))),
    );
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({
      runId: run.runId,
      outcome: "succeeded",
      counts: { pagesPlanned: 3, pagesDone: 3, pagesDeadLettered: 0, read: 6, written: 6, skipped: 0, failed: 0 },
      window: { from: "2026-12-01T09:40:00.000Z", to: "2026-12-01T10:00:00.000Z" },
    });
    const [listed] = await ledger.recentRuns(run.integration, run.connector, 50).then((all) => all.filter((r) => r.runId === run.runId));
    expect(listed).toMatchObject({
      outcome: "succeeded",
      units: { pagesPlanned: 3, pagesDone: 3, listingPlanned: 1, listingDone: 1 },
      records: { read: 6, written: 6 },
    });
  });

  it("a redriven page that settles while the last page finishes the run is not lost: the finish on a stale tally tallies again", async () => {
    // Forces the interleaving: A (the last page, p2) tallies while p1 is still dead; B (p1's
    // redrive) writes its unit only after A's tally and tallies too; only then does A's outcome
    // write go. Without the revision check A would store "partly failed" and B's write would fail
    // on the outcome, leaving a run whose units are all done reported as partly failed.
    let queries = 0;
    let heldFinal = false;
    let firstFinalDone = false;
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 1_000 && !test(); i++) await new Promise((r) => setTimeout(r, 5));
      if (!test()) throw new Error("gate never opened");
    };
    const gated = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const input = command.input as { Key?: unknown; ConditionExpression?: string; ExpressionAttributeValues?: Record<string, { S?: string }> };
        const name = command.constructor.name;
        const final = name === "UpdateItemCommand" && input.ConditionExpression?.includes("#outcome = :prev") === true;
        // B's unit write waits for A's tally.
        if (name === "UpdateItemCommand" && JSON.stringify(input.Key).includes("unit#p1") && input.ExpressionAttributeValues?.[":to"]?.S === "done")
          await until(() => queries >= 1);
        if (final && !heldFinal) {
          // A's outcome write waits for B's tally, then goes before B's.
          heldFinal = true;
          await until(() => queries >= 2);
          try {
            return await (db.client.send as (c: unknown) => Promise<unknown>)(command);
          } finally {
            firstFinalDone = true;
          }
        }
        if (final) await until(() => firstFinalDone);
        const result = await (db.client.send as (c: unknown) => Promise<unknown>)(command);
        if (name === "QueryCommand") queries += 1;
        return result;
      },
    };
    const statuses: RunStatus[] = [];
    const ledger = new RunLedger({
      tableName: table,
      client: async () => gated as unknown as typeof db.client,
      onFinished: async (status) => void statuses.push(status),
    });
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    const page = (i: number) => ({ ...run, unitId: `p${i}`, kind: "page" as const });
    await ledger.open(root);
    await ledger.plan(run, [
      { unitId: "p1", kind: "page" },
      { unitId: "p2", kind: "page" },
    ]);
    await ledger.settle(root, "done", NO_RECORDS);
    await ledger.settle(page(1), "dead", NO_RECORDS, { error: "ORO_UNAVAILABLE: 503" });
    await Promise.all([ledger.settle(page(2), "done", read(2)), ledger.settle(page(1), "done", read(2))]);
    expect(heldFinal).toBe(true);
    expect(statuses.map((st) => [st.outcome, st.counts.pagesDone, st.counts.pagesDeadLettered, st.counts.written])).toEqual([["succeeded", 2, 0, 4]]);
    const [listed] = await ledger.recentRuns(run.integration, run.connector, 50).then((all) => all.filter((r) => r.runId === run.runId));
    expect(listed).toMatchObject({ outcome: "succeeded", units: { pagesPlanned: 2, pagesDone: 2, pagesDeadLettered: 0 } });
  });

  it("a dead-lettered page makes the run partly failed; the redriven page's success makes it succeeded, each reported once", async () => {
    const { ledger, statuses } = setup();
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    const page = (i: number) => ({ ...run, unitId: `p${i}`, kind: "page" as const });
    await ledger.open(root);
    await ledger.plan(run, [
      { unitId: "p1", kind: "page" },
      { unitId: "p2", kind: "page" },
    ]);
    await ledger.settle(root, "done", NO_RECORDS);
    await ledger.settle(page(1), "done", read(2));
    await ledger.settle(page(2), "dead", { read: 2, written: 1, skipped: 0, failed: 0 }, { error: "ORO_UNAVAILABLE: Oro answered 503" });
    // A late duplicate of the dead-lettering changes nothing.
    expect(await ledger.settle(page(2), "dead", read(2), { error: "again" })).toBe(false);
    expect(statuses.map((s) => s.outcome)).toEqual(["partly failed"]);
    expect(statuses[0]?.counts).toEqual({ pagesPlanned: 2, pagesDone: 1, pagesDeadLettered: 1, read: 4, written: 3, skipped: 0, failed: 0 });
    expect(statuses[0]?.message).toContain("last error: ORO_UNAVAILABLE: Oro answered 503");
    await ledger.settle(page(2), "done", read(2));
    await ledger.settle(page(2), "done", read(2));
    expect(statuses.map((s) => s.outcome)).toEqual(["partly failed", "succeeded"]);
    expect(statuses[1]?.counts).toEqual({ pagesPlanned: 2, pagesDone: 2, pagesDeadLettered: 0, read: 4, written: 4, skipped: 0, failed: 0 });
  });

  it("a page that finishes before its parent registers it does not finish the run early", async () => {
    const { ledger, statuses } = setup();
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    await ledger.open(root);
    // The child ran and settled before the parent's plan() (the parent enqueued, then was slow).
    await ledger.settle({ ...run, unitId: "c1", kind: "page" }, "done", read(1));
    expect(statuses).toHaveLength(0);
    await ledger.plan(run, [{ unitId: "c1", kind: "page" }]);
    await ledger.settle(root, "done", NO_RECORDS);
    expect(statuses).toHaveLength(1);
    expect(statuses[0]?.counts).toMatchObject({ pagesPlanned: 1, pagesDone: 1, written: 1 });
  });

  it("a dead listing step fails the run", async () => {
    const { ledger, statuses } = setup();
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    await ledger.open(root);
    await ledger.settle(root, "dead", NO_RECORDS, { error: "VALIDATION: bad window" });
    expect(statuses.map((s) => [s.outcome, s.counts.pagesPlanned])).toEqual([["failed", 0]]);
  });

  it("counts its DynamoDB requests per page", async () => {
    const { ledger, requests } = setup();
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    await ledger.open(root);
    const pages = Array.from({ length: 10 }, (_, i) => ({ ...run, unitId: `p${i}`, kind: "page" as const }));
    // As the runtime does: the root settles with the messages it enqueued.
    await ledger.settle(root, "done", NO_RECORDS, { children: pages });
    for (const p of pages) await ledger.settle(p, "done", read(1));
    const by = (name: string) => requests.filter((r) => r === name).length;
    // root open: 1 put (its planned count rides on its settle); each child: 1 put; each settle: 1 unit update
    // + 1 run update (the root's carries its own and its children's planned counts), the root's then the
    // index entry (running); finish: 1 query (its revision is the one the last move returned: no get)
    // + 1 update + 1 index put.
    expect({ put: by("PutItemCommand"), update: by("UpdateItemCommand"), get: by("GetItemCommand"), query: by("QueryCommand") }).toEqual({
      put: 1 + 10 + 1 + 1,
      update: 2 * 11 + 1,
      get: 0,
      query: 1,
    });
  });

  type Command = { constructor: { name: string }; input: Record<string, unknown> };
  type Input = { Key?: Record<string, { S?: string }>; UpdateExpression?: string; ConditionExpression?: string; Item?: Record<string, { S?: string }> };
  const forward = (command: Command) => (db.client.send as (c: unknown) => Promise<unknown>)(command);
  /** A client that holds the first request `matches` picks until released (and says when it holds one). */
  const holding = (matches: (name: string, input: Input) => boolean) => {
    let held = false;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const holds = new Promise<void>((r) => (reached = r));
    const client = {
      send: async (command: Command) => {
        if (!held && matches(command.constructor.name, command.input as Input)) {
          held = true;
          reached();
          await released;
        }
        return forward(command);
      },
    };
    return { client: client as unknown as typeof db.client, holds, release };
  };
  /** A run's entries in its connector's index, as stored: [outcome, pagesPlanned, pagesDone, written]. */
  const indexEntries = async (run: { integration: string; connector: string; runId: string }) =>
    (
      await db.client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "pk = :pk",
          FilterExpression: "runId = :run",
          ExpressionAttributeValues: { ":pk": { S: `run#${run.integration}#${run.connector}` }, ":run": { S: run.runId } },
          ConsistentRead: true,
        }),
      )
    ).Items?.map((item) => [item.outcome?.S, item.pagesPlanned?.N, item.pagesDone?.N, item.written?.N]);
  const THROTTLED = "Throughput exceeds the current capacity";
  /** A client that answers ProvisionedThroughputExceeded to the requests `matches` picks (the first only, with `once`). */
  const throttling = (matches: (name: string, input: Input) => boolean, options: { once?: boolean } = {}) => {
    let failed = false;
    return {
      send: async (command: Command) => {
        if (!(options.once && failed) && matches(command.constructor.name, command.input as Input)) {
          failed = true;
          throw Object.assign(new Error(THROTTLED), { name: "ProvisionedThroughputExceededException" });
        }
        return forward(command);
      },
    } as unknown as typeof db.client;
  };
  /** A ledger on `client` whose reports are collected. */
  const reportingLedger = (client: typeof db.client) => {
    const statuses: RunStatus[] = [];
    const ledger = new RunLedger({ tableName: table, client: async () => client, onFinished: async (st) => void statuses.push(st) });
    return { ledger, statuses };
  };
  const isRunMove = (name: string, input: Input) =>
    name === "UpdateItemCommand" && input.Key?.sk?.S === "run" && input.UpdateExpression?.includes(" ADD ") === true;

  it("a one-message run (a pushed order): 6 requests, started at its open, finished at its settle, reported once", async () => {
    let now = Date.parse("2026-12-01T10:00:00.000Z");
    const statuses: RunStatus[] = [];
    const requests: string[] = [];
    const ledger = new RunLedger({
      tableName: table,
      client: async () => db.client,
      now: () => now,
      onFinished: async (status) => void statuses.push(status),
      onRequest: (c) => requests.push(c),
    });
    const run = { integration: "oro-main", connector: "oro-orders-to-erp", runId: "order-created-1" };
    const unit = { ...run, unitId: run.runId, kind: "page" as const, type: "order.created" };
    await ledger.open(unit);
    expect(requests).toEqual(["PutItemCommand"]);
    now += 1_500;
    expect(await ledger.settle(unit, "done", read(1))).toBe(true);
    // open: unit put; settle: unit update, run update (planned and done at once); finish: the re-count,
    // the outcome, the index entry. No GetItem (the run update returned the revision), no index entry at open.
    expect(requests).toEqual(["PutItemCommand", "UpdateItemCommand", "UpdateItemCommand", "QueryCommand", "UpdateItemCommand", "PutItemCommand"]);
    expect(statuses.map((st) => [st.outcome, st.startedAt, st.finishedAt, st.counts.pagesPlanned, st.counts.written])).toEqual([
      ["succeeded", "2026-12-01T10:00:00.000Z", "2026-12-01T10:00:01.500Z", 1, 1],
    ]);
    const [listed] = await ledger.recentRuns(run.integration, run.connector, 1);
    expect(listed).toMatchObject({ runId: run.runId, rootType: "order.created", outcome: "succeeded", startedAt: "2026-12-01T10:00:00.000Z" });
    // Delivered again: its open and its settle fail their conditions, nothing else.
    requests.length = 0;
    await ledger.open(unit);
    expect(await ledger.settle(unit, "done", read(1))).toBe(false);
    expect(requests).toEqual(["PutItemCommand", "UpdateItemCommand"]);
    expect(statuses).toHaveLength(1);
  });

  it("a root retried after its open (the Lambda was killed) is planned once; a root dead-lettered then redriven is counted once", async () => {
    const { ledger, statuses } = setup();
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "page" as const, type: "stock.changed" };
    await ledger.open(root);
    await ledger.open(root);
    await ledger.settle(root, "dead", NO_RECORDS, { error: "HTTP_503: ERP down" });
    expect(statuses.map((st) => [st.outcome, st.counts.pagesPlanned, st.counts.pagesDeadLettered])).toEqual([["failed", 1, 1]]);
    // The redrive (hop 0 again): its open finds the item, its success moves dead -> done.
    await ledger.open(root);
    await ledger.settle(root, "done", read(3));
    expect(statuses.map((st) => [st.outcome, st.counts.pagesPlanned, st.counts.pagesDone, st.counts.pagesDeadLettered, st.counts.written])).toEqual([
      ["failed", 1, 0, 1, 0],
      ["succeeded", 1, 1, 0, 3],
    ]);
  });

  it("a child settling while its root is still open does not finish the run (no re-count: the root is not counted yet); the run starts at the root's open", async () => {
    let now = Date.parse("2026-12-01T11:00:00.000Z");
    const statuses: RunStatus[] = [];
    const requests: string[] = [];
    const ledger = new RunLedger({
      tableName: table,
      client: async () => db.client,
      now: () => now,
      onFinished: async (status) => void statuses.push(status),
      onRequest: (c) => requests.push(c),
    });
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    await ledger.open(root);
    now += 1_000;
    requests.length = 0;
    // The child ran before its parent settled: its own settle creates its unit; the counters (root
    // not in them yet) look settled, but without the root's type the run is not finished: no Query.
    await ledger.settle({ ...run, unitId: "early", kind: "page" }, "done", read(2));
    expect(requests).toEqual(["UpdateItemCommand", "UpdateItemCommand"]);
    expect(statuses).toHaveLength(0);
    now += 1_000;
    await ledger.settle(root, "done", NO_RECORDS, { children: [{ unitId: "early", kind: "page" }] });
    expect(statuses.map((st) => [st.outcome, st.startedAt, st.counts.pagesPlanned, st.counts.pagesDone, st.counts.written])).toEqual([
      ["succeeded", "2026-12-01T11:00:00.000Z", 1, 1, 2],
    ]);
    expect((await ledger.read(run)).summary).toMatchObject({
      startedAt: "2026-12-01T11:00:00.000Z",
      units: { listingPlanned: 1, listingDone: 1, pagesPlanned: 1, pagesDone: 1 },
    });
  });

  it("a parent's transition is sent only after every child's item is written, so a sibling's re-count never finishes the run with a child missing", async () => {
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    const rootSk = `unit#${run.runId}`;
    let releaseC2: () => void = () => undefined;
    const c2Held = new Promise<void>((resolve) => (releaseC2 = resolve));
    let c2Written = false;
    const seenAtTransition: boolean[] = [];
    const statuses: RunStatus[] = [];
    const watching = {
      send: async (command: Command) => {
        const input = command.input as Input;
        if (command.constructor.name === "PutItemCommand" && input.Item?.sk?.S === "unit#c2") {
          // Held until a macrotask later: a transition sent meanwhile was sent with c2 unwritten.
          setTimeout(releaseC2, 0);
          await c2Held;
          const result = await forward(command);
          c2Written = true;
          return result;
        }
        if (command.constructor.name === "UpdateItemCommand" && input.Key?.sk?.S === rootSk) seenAtTransition.push(c2Written);
        return forward(command);
      },
    };
    const ledger = new RunLedger({
      tableName: table,
      client: async () => watching as unknown as typeof db.client,
      onFinished: async (st) => void statuses.push(st),
    });
    await ledger.open(root);
    // c1 ran and settled before its parent (its own settle created its item).
    await ledger.settle({ ...run, unitId: "c1", kind: "page" }, "done", read(1));
    await ledger.settle(root, "done", NO_RECORDS, {
      children: [
        { unitId: "c1", kind: "page" },
        { unitId: "c2", kind: "page" },
      ],
    });
    expect(seenAtTransition).toEqual([true]);
    expect(statuses).toHaveLength(0);
    await ledger.settle({ ...run, unitId: "c2", kind: "page" }, "done", read(2));
    expect(statuses.map((st) => [st.outcome, st.counts.pagesPlanned, st.counts.pagesDone, st.counts.written])).toEqual([["succeeded", 2, 2, 3]]);
  });

  it("a root whose open failed (throttled): a child settling first does not finish the run without it; the root's settle counts it and the run finishes exactly", async () => {
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    const { ledger, statuses } = reportingLedger(
      throttling((name, input) => name === "PutItemCommand" && input.Item?.sk?.S === `unit#${run.runId}`, { once: true }),
    );
    await expect(ledger.open(root)).rejects.toThrow(THROTTLED);
    await ledger.settle({ ...run, unitId: "c1", kind: "page" }, "done", read(1));
    expect(statuses).toHaveLength(0);
    await ledger.settle(root, "done", NO_RECORDS, {
      children: [
        { unitId: "c1", kind: "page" },
        { unitId: "c2", kind: "page" },
      ],
    });
    expect(statuses).toHaveLength(0);
    await ledger.settle({ ...run, unitId: "c2", kind: "page" }, "done", read(2));
    expect(statuses.map((st) => [st.outcome, st.counts.pagesPlanned, st.counts.pagesDone, st.counts.written])).toEqual([["succeeded", 2, 2, 3]]);
  });

  it("a child whose put failed while a sibling's succeeded: the sibling is counted at once, the failed one by the retry; the run finishes exactly", async () => {
    const { ledger, statuses } = reportingLedger(throttling((name, input) => name === "PutItemCommand" && input.Item?.sk?.S === "unit#c2", { once: true }));
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    const children = [
      { unitId: "c1", kind: "page" as const },
      { unitId: "c2", kind: "page" as const },
    ];
    await ledger.open(root);
    await expect(ledger.settle(root, "done", NO_RECORDS, { children })).rejects.toThrow(THROTTLED);
    expect((await ledger.read(run)).summary?.units).toMatchObject({ listingPlanned: 1, listingDone: 1, pagesPlanned: 1 });
    // The record's retry: a duplicate of the root's settle, which puts and counts the child missing.
    expect(await ledger.settle(root, "done", NO_RECORDS, { children })).toBe(false);
    await ledger.settle({ ...run, unitId: "c1", kind: "page" }, "done", read(1));
    expect(statuses).toHaveLength(0);
    await ledger.settle({ ...run, unitId: "c2", kind: "page" }, "done", read(1));
    expect(statuses.map((st) => [st.outcome, st.counts.pagesPlanned, st.counts.pagesDone, st.counts.written])).toEqual([["succeeded", 2, 2, 2]]);
  });

  it("a move landing after the outcome write, of a unit that tally already counted, is put right by its own finish: no double count, one report", async () => {
    // The child settles before its parent registers it, but its run update is held; the parent's settle
    // finishes the run meanwhile (its re-count sees the child's item). Then the child's update adds it again.
    const gate = holding((name, input) => isRunMove(name, input));
    const statuses: RunStatus[] = [];
    const plain = new RunLedger({ tableName: table, client: async () => db.client, onFinished: async (st) => void statuses.push(st) });
    const gated = new RunLedger({ tableName: table, client: async () => gate.client, onFinished: async (st) => void statuses.push(st) });
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    await plain.open(root);
    const child = gated.settle({ ...run, unitId: "late", kind: "page" }, "done", read(4));
    await gate.holds;
    await plain.settle(root, "done", NO_RECORDS, { children: [{ unitId: "late", kind: "page" }] });
    expect(statuses.map((st) => [st.outcome, st.counts.pagesPlanned, st.counts.written])).toEqual([["succeeded", 1, 4]]);
    gate.release();
    expect(await child).toBe(true);
    expect(statuses).toHaveLength(1);
    expect(await indexEntries(run)).toEqual([["succeeded", "1", "1", "4"]]);
    expect((await plain.read(run)).summary).toMatchObject({
      outcome: "succeeded",
      units: { listingPlanned: 1, listingDone: 1, pagesPlanned: 1, pagesDone: 1, pagesDeadLettered: 0 },
      records: { read: 4, written: 4, skipped: 0, failed: 0 },
    });
  });

  it("a root's running index entry never replaces the finished one a child wrote between the root's move and that put", async () => {
    const gate = holding((name, input) => name === "PutItemCommand" && input.Item?.outcome?.S === "running");
    const statuses: RunStatus[] = [];
    const plain = new RunLedger({ tableName: table, client: async () => db.client, onFinished: async (st) => void statuses.push(st) });
    const gated = new RunLedger({ tableName: table, client: async () => gate.client });
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    await plain.open(root);
    const rootSettle = gated.settle(root, "done", NO_RECORDS, { children: [{ unitId: "p", kind: "page" }] });
    await gate.holds;
    await plain.settle({ ...run, unitId: "p", kind: "page" }, "done", read(1));
    expect(statuses.map((st) => st.outcome)).toEqual(["succeeded"]);
    gate.release();
    expect(await rootSettle).toBe(true);
    expect(await indexEntries(run)).toEqual([["succeeded", "1", "1", "1"]]);
  });

  it("a child whose registration failed registers itself when it settles, after the run finished without it: summary and index entry take it in, no second report", async () => {
    const { ledger, statuses } = reportingLedger(throttling((name, input) => name === "PutItemCommand" && input.Item?.sk?.S === "unit#lost", { once: true }));
    const run = newRun();
    const root = { ...run, unitId: run.runId, kind: "listing" as const, type: "window" };
    await ledger.open(root);
    const children = [
      { unitId: "kept", kind: "page" as const },
      { unitId: "lost", kind: "page" as const },
    ];
    // The runtime logs this and goes on (no retry of the record): "lost" is in the queue, not in the ledger.
    await expect(ledger.settle(root, "done", NO_RECORDS, { children })).rejects.toThrow(THROTTLED);
    await ledger.settle({ ...run, unitId: "kept", kind: "page" }, "done", read(1));
    expect(statuses.map((st) => [st.outcome, st.counts.pagesPlanned, st.counts.written])).toEqual([["succeeded", 1, 1]]);
    // The lost child runs: its settle creates its item and plans it, on a finished run.
    await ledger.settle({ ...run, unitId: "lost", kind: "page" }, "done", read(2));
    expect(statuses).toHaveLength(1);
    expect((await ledger.read(run)).summary).toMatchObject({ outcome: "succeeded", units: { pagesPlanned: 2, pagesDone: 2 }, records: { written: 3 } });
    expect(await indexEntries(run)).toEqual([["succeeded", "2", "2", "3"]]);
  });

  it("reports an outcome it moved even when its index entry cannot be written, then throws the write's error", async () => {
    const { ledger, statuses } = reportingLedger(throttling((name, input) => name === "PutItemCommand" && input.Item?.outcome?.S === "succeeded"));
    const run = newRun();
    const unit = { ...run, unitId: run.runId, kind: "page" as const, type: "stock.changed" };
    await ledger.open(unit);
    await expect(ledger.settle(unit, "done", read(1))).rejects.toThrow(THROTTLED);
    expect(statuses.map((st) => [st.runId, st.outcome])).toEqual([[run.runId, "succeeded"]]);
    expect((await ledger.read(run)).summary?.outcome).toBe("succeeded");
  });
});
