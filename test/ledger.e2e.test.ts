import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../infra/config";
import { renderProgress } from "../local-stack/progress";
import { type LocalConnector, type LocalStack, startLocalStack } from "../local-stack/stack";
import type { RunStatus } from "../shared/ledger";
import { createEnvelope } from "../shared/messages";
import { run } from "../ops/cli";
import type { OpsIo } from "../ops/io";
import type { RunsResult } from "../ops/commands/runs";

/**
 * The run ledger end to end on the local stack (`npm start`'s startLocalStack: dynalite, fauxqs,
 * the sandboxes, the real erp-stock handler behind the emulated event source mapping), read back
 * through the ops CLI. erp-stock pages by 2 levels and hands over after every page, so a window of
 * 60 levels is a chain of 30 messages: the window and 29 page messages, each a page of the run.
 *
 * Oro statuses: each outcome a run reaches is read back from the Oro sandbox's integration
 * statuses (what System > Integrations shows), written by the runtime's default listener
 * (shared/runtime/run-status-report.ts) on the channel the local stack registered at start.
 */
let stack: LocalStack;
let stock: LocalConnector;
let dir: string;
let endpointsFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ledger-e2e-"));
  const config = JSON.parse(readFileSync(join(REPO_ROOT, "deploy.config.json"), "utf8")) as {
    integrations: { connectors: Record<string, { settings?: Record<string, unknown> }> }[];
  };
  for (const integration of config.integrations) {
    const erp = integration.connectors["erp-stock"];
    if (erp) erp.settings = { ...erp.settings, pageSize: 2, handoverMarginMs: 1e9 };
  }
  const configPath = join(dir, "deploy.config.json");
  writeFileSync(configPath, JSON.stringify(config));
  endpointsFile = join(dir, "endpoints.json");
  stack = await startLocalStack({
    deployConfigPath: configPath,
    ephemeralPorts: true,
    endpointsFile,
    fireSchedulesAtStart: false,
    backoffBaseSeconds: 0,
  });
  const found = stack.connectors.find((c) => c.resolved.connector === "erp-stock");
  if (!found) throw new Error("deploy.config.json has no erp-stock");
  stock = found;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const io = (): OpsIo & { stdout: string[] } => {
  const stdout: string[] = [];
  return { stdout, out: (t) => stdout.push(t), err: () => undefined, errRaw: () => undefined, stderrIsTTY: false, readStdin: async () => "", env: {} };
};
const ops = async (...args: string[]): Promise<{ code: number; json: { result: unknown } }> => {
  const out = io();
  const code = await run([...args, "--json", "--local", "--endpoints", endpointsFile], out);
  return { code, json: JSON.parse(out.stdout.join("")) as { result: unknown } };
};
const runOf = async (runId: string) => {
  const { result } = (await ops("runs", "erp-main", "erp-stock", "--max", "50")).json as { result: RunsResult };
  const found = result.runs.filter((r) => r.runId === runId);
  expect(found).toHaveLength(1);
  return found[0] as RunsResult["runs"][number];
};
/** The Oro integration statuses of a run, oldest first, as [outcome, counts]; each one's Oro code and connector checked. */
const statusesOf = (runId: string) =>
  (stack.sandboxes.oro?.store.list("integrationstatuses") ?? [])
    .filter((row) => (row.attributes.data as { runId?: string } | null)?.runId === runId)
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((row) => {
      const data = row.attributes.data as { outcome: RunStatus["outcome"]; counts: RunStatus["counts"] };
      // Oro's Status codes: 1 completed, 2 failed (IntegrationBundle Entity/Status.php; docs/reference/oro-integration.md).
      expect(row.attributes.code).toBe(data.outcome === "succeeded" ? "1" : "2");
      expect(row.attributes.connector).toBe(connectorOfRun(runId));
      return [data.outcome, data.counts];
    });
const connectorOfRun = (runId: string) => (runId === "ledger-window-d" ? "akeneo-products" : "erp-stock");

/** `count` Oro products with a level each, and `count` ERP levels for them (minus `missing` products in Oro) in a window of their own. */
const seed = async (prefix: string, count: number, at: string, options: { missing?: number } = {}) => {
  const skus = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(5, "0")}`);
  await stack.sandboxes.oro?.admin.seed({ productList: skus.slice(0, count - (options.missing ?? 0)).map((sku) => ({ sku, quantity: 0 })) });
  await stack.sandboxes.erp?.admin.putStock({ generate: { count, prefix, quantityOffset: 7_000, updatedAt: at } });
  return skus;
};
const sendWindow = async (id: string, window: { from: string; to: string }) => {
  const envelope = createEnvelope({ id, integration: "erp-main", connector: "erp-stock", type: "window", payload: window });
  await stack.sqs.send(new SendMessageCommand({ QueueUrl: stock.queueUrl, MessageBody: JSON.stringify(envelope) }));
};
const delta = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(Object.entries(after).flatMap(([op, n]) => (n - (before[op] ?? 0) > 0 ? [[op, n - (before[op] ?? 0)]] : [])));
const plus1s = (at: string) => new Date(Date.parse(at) + 1_000).toISOString();

describe("run ledger on the local stack", () => {
  // First in the file: the erp-stock handler's container has reported no run yet (its channel id is not known).
  it("a one-message run costs 6 DynamoDB requests and its status 2 Oro calls, the next run's status 1 (the channel id kept)", async () => {
    const oro = stack.sandboxes.oro;
    if (!oro) throw new Error("the local stack has no Oro sandbox");
    const statusCalls = () => {
      const { byRoute } = oro.stats();
      return { lookup: byRoute["GET /admin/api/integrationchannels"] ?? 0, write: byRoute["POST /admin/api/integrationstatuses"] ?? 0 };
    };
    const oneMessageRun = async (id: string, at: string) => {
      // 2 levels at a page size of 2: the window's first message reads them and ends it.
      await seed(`${id.toUpperCase()}-`, 2, at);
      const before = { dynamodb: stack.dynamodb.requests(), oro: statusCalls() };
      await sendWindow(id, { from: at, to: plus1s(at) });
      await stack.idle(120_000);
      const after = statusCalls();
      return {
        dynamodb: delta(before.dynamodb, stack.dynamodb.requests()),
        oro: { lookup: after.lookup - before.oro.lookup, write: after.write - before.oro.write },
      };
    };
    const first = await oneMessageRun("ledger-one-a", "2026-06-30T00:00:00.000Z");
    // open: the unit's conditional put; settle: the unit's update, the run's update (planned and done at once,
    // the counters then say settled); finish: the re-count Query on the revision that update returned, the
    // outcome's conditional update, the index entry.
    expect(first.dynamodb).toEqual({ PutItem: 2, UpdateItem: 3, Query: 1 });
    // The status: the channel looked up by name, then written.
    expect(first.oro).toEqual({ lookup: 1, write: 1 });
    const second = await oneMessageRun("ledger-one-b", "2026-06-30T00:10:00.000Z");
    expect(second.dynamodb).toEqual({ PutItem: 2, UpdateItem: 3, Query: 1 });
    expect(second.oro).toEqual({ lookup: 0, write: 1 });
    for (const runId of ["ledger-one-a", "ledger-one-b"]) {
      const done = await runOf(runId);
      expect(done).toMatchObject({
        outcome: "succeeded",
        rootType: "window",
        units: { pagesPlanned: 1, pagesDone: 1, pagesDeadLettered: 0, listingPlanned: 0 },
        records: { read: 2, written: 2, skipped: 0, failed: 0 },
      });
      // Started when its message started (the open), not when it settled.
      expect(Date.parse(done.finishedAt ?? "")).toBeGreaterThan(Date.parse(done.startedAt));
      expect(statusesOf(runId)).toEqual([["succeeded", { pagesPlanned: 1, pagesDone: 1, pagesDeadLettered: 0, read: 2, written: 2, skipped: 0, failed: 0 }]]);
    }
  }, 240_000);

  it("a 30-page window ends as one succeeded run with exact counts, reported once; delivered three times, its counts stay the same", async () => {
    const at = "2026-07-01T00:00:00.000Z";
    await seed("LEDGER-A-", 60, at);
    const before = stack.dynamodb.requests();
    await sendWindow("ledger-window-a", { from: at, to: plus1s(at) });
    await stack.idle(120_000);
    // What the run cost, on the wire (docs/ledger.md "Cost"): 30 pages = the window (root) + 29 page messages.
    // Put: root unit, index entry (running, at the root's settle), 29 children registered, index entry at the
    // end; Update: 2 per settled page (unit; run, with its own planned count for the root and its children's),
    // the outcome; Query: the re-count at the end (on the revision the last move returned: no GetItem).
    expect(delta(before, stack.dynamodb.requests())).toEqual({ PutItem: 1 + 1 + 29 + 1, UpdateItem: 2 * 30 + 1, Query: 1 });

    const done = await runOf("ledger-window-a");
    expect(done).toMatchObject({
      outcome: "succeeded",
      rootType: "window",
      windowFrom: at,
      windowTo: plus1s(at),
      units: { pagesPlanned: 30, pagesDone: 30, pagesDeadLettered: 0, listingPlanned: 0 },
      records: { read: 60, written: 60, skipped: 0, failed: 0 },
    });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect(statusesOf("ledger-window-a")).toEqual([
      ["succeeded", { pagesPlanned: 30, pagesDone: 30, pagesDeadLettered: 0, read: 60, written: 60, skipped: 0, failed: 0 }],
    ]);

    // The same window delivered twice more: every page of it runs again (the levels are unchanged now), none counts.
    const beforeDuplicates = stack.dynamodb.requests();
    await sendWindow("ledger-window-a", { from: at, to: plus1s(at) });
    await sendWindow("ledger-window-a", { from: at, to: plus1s(at) });
    await stack.idle(120_000);
    // Each duplicate page costs its failed conditional writes only: the unit's open (put) and its settle (update).
    expect(delta(beforeDuplicates, stack.dynamodb.requests())).toEqual({ PutItem: 2 * 30, UpdateItem: 2 * 30 });
    expect(stock.mapping.stats.deleted).toBeGreaterThanOrEqual(90);
    expect(await runOf("ledger-window-a")).toMatchObject({
      outcome: "succeeded",
      units: { pagesPlanned: 30, pagesDone: 30, pagesDeadLettered: 0 },
      records: { read: 60, written: 60, skipped: 0, failed: 0 },
    });
    expect(statusesOf("ledger-window-a")).toHaveLength(1);
    expect(await renderProgress(stack)).toMatch(/erp-main\/erp-stock .* succeeded: 30\/30 pages/);
  }, 240_000);

  it("a window with a dead-lettered page ends partly failed; after `dlq redrive` the page lands and the run succeeds", async () => {
    const at = "2026-07-02T00:00:00.000Z";
    // 10 levels, 5 pages; Oro lacks the product of the 10th level, so that level goes to the DLQ as a replay of its own.
    const skus = await seed("LEDGER-B-", 10, at, { missing: 1 });
    await sendWindow("ledger-window-b", { from: at, to: plus1s(at) });
    await stack.idle(120_000);

    expect(await runOf("ledger-window-b")).toMatchObject({
      outcome: "partly failed",
      units: { pagesPlanned: 6, pagesDone: 5, pagesDeadLettered: 1 },
      records: { read: 10, written: 9, skipped: 0, failed: 1 },
    });
    const partly = await runOf("ledger-window-b");
    expect(partly.lastError).toMatch(/^UNKNOWN_SKU: SKU "LEDGER-B-00010" is not a product in Oro/);
    // The alert of the level is open in Oro, as before the ledger.
    const alertOf = () =>
      (stack.sandboxes.oro?.store.list("notificationalerts") ?? [])
        .filter((a) => a.attributes.externalId === "LEDGER-B-00010")
        .map((a) => a.attributes.resolved);
    expect(alertOf()).toEqual([false]);
    const status = (await ops("status", "erp-main", "--alerts", "0")).json.result as {
      connectors: { connector: string; runs: { lastFailed?: { runId: string } } }[];
    };
    expect(status.connectors.find((c) => c.connector === "erp-stock")?.runs.lastFailed?.runId).toBe("ledger-window-b");

    // Fix the cause, then redrive: the replay of the one level lands.
    await stack.sandboxes.oro?.admin.seed({ productList: [{ sku: skus[9] as string, quantity: 0 }] });
    const redrive = await ops("dlq", "redrive", "erp-main", "erp-stock");
    expect(redrive.code).toBe(0);
    expect(redrive.json.result).toMatchObject({ moved: 1 });
    await stack.idle(120_000);

    expect(await runOf("ledger-window-b")).toMatchObject({
      outcome: "succeeded",
      units: { pagesPlanned: 6, pagesDone: 6, pagesDeadLettered: 0 },
      records: { read: 11, written: 10, skipped: 0, failed: 0 },
    });
    expect(statusesOf("ledger-window-b").map(([outcome]) => outcome)).toEqual(["partly failed", "succeeded"]);
    // The level's alert is resolved by its replay's recovery (same step: the replay's message type).
    expect(alertOf()).toEqual([true]);
  }, 240_000);

  it("a page SQS dead-letters after its last receive makes the run failed; redriven, the window runs to its end and succeeds", async () => {
    const at = "2026-07-03T00:00:00.000Z";
    await seed("LEDGER-C-", 10, at);
    // The ERP is down for this window's first page on every receive: SQS's redrive policy moves it to the DLQ.
    await stack.sandboxes.erp?.admin.faults({ serverError: { rate: 1, status: 503 }, paths: ["/stock"] });
    await sendWindow("ledger-window-c", { from: at, to: plus1s(at) });
    await stack.idle(120_000);
    await stack.sandboxes.erp?.admin.faults({});

    expect(await runOf("ledger-window-c")).toMatchObject({
      outcome: "failed",
      units: { pagesPlanned: 1, pagesDone: 0, pagesDeadLettered: 1 },
      records: { read: 0, written: 0 },
    });
    // Learnt at the last receive (the runtime reported it failed; SQS moves it on the next receive), with its reason.
    expect((await runOf("ledger-window-c")).lastError).toMatch(
      new RegExp(
        `^moved to the DLQ by SQS after attempt ${stock.plan.maxReceiveCount}: HTTP_503: GET http://127\\.0\\.0\\.1:\\d+/stock\\?.* failed with HTTP 503`,
      ),
    );

    expect((await ops("dlq", "redrive", "erp-main", "erp-stock")).json.result).toMatchObject({ moved: 1 });
    await stack.idle(120_000);
    expect(await runOf("ledger-window-c")).toMatchObject({
      outcome: "succeeded",
      units: { pagesPlanned: 5, pagesDone: 5, pagesDeadLettered: 0 },
      records: { read: 10, written: 10, failed: 0 },
    });
    expect(statusesOf("ledger-window-c").map(([outcome]) => outcome)).toEqual(["failed", "succeeded"]);

    // `ops status` names the last successful run by its window end.
    const status = (await ops("status", "erp-main", "--alerts", "0")).json.result as {
      connectors: { connector: string; runs: { lastSucceeded?: { runId: string; windowTo: string } } }[];
    };
    expect(status.connectors.find((c) => c.connector === "erp-stock")?.runs.lastSucceeded).toMatchObject({ runId: "ledger-window-c", windowTo: plus1s(at) });
  }, 240_000);

  it("an Akeneo window counts its listing steps apart from its pages: 250 products = 1 listing step, 3 pages", async () => {
    const akeneo = stack.connectors.find((c) => c.resolved.connector === "akeneo-products") as LocalConnector;
    await stack.sandboxes.akeneo?.admin.seed({ count: 250, prefix: "LEDGER-D-", updatedAt: "2026-07-04T00:00:00Z", families: ["default_family"] });
    const envelope = createEnvelope({
      id: "ledger-window-d",
      integration: "akeneo-main",
      connector: "akeneo-products",
      type: "window",
      payload: { from: "2026-07-04T00:00:00Z", to: "2026-07-04T00:00:01Z" },
    });
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: akeneo.queueUrl, MessageBody: JSON.stringify(envelope) }));
    await stack.idle(120_000);
    const { result } = (await ops("runs", "akeneo-main", "akeneo-products")).json as { result: RunsResult };
    expect(result.runs.filter((r) => r.runId === "ledger-window-d")).toMatchObject([
      {
        outcome: "succeeded",
        rootType: "window",
        units: { listingPlanned: 1, listingDone: 1, listingDeadLettered: 0, pagesPlanned: 3, pagesDone: 3, pagesDeadLettered: 0 },
        records: { read: 250, written: 250, skipped: 0, failed: 0 },
        windowTo: "2026-07-04T00:00:01.000Z",
      },
    ]);
    expect(statusesOf("ledger-window-d")).toEqual([
      ["succeeded", { pagesPlanned: 3, pagesDone: 3, pagesDeadLettered: 0, read: 250, written: 250, skipped: 0, failed: 0 }],
    ]);
  }, 240_000);
});
