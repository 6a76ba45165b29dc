import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Message, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { createEnvelope } from "../shared/messages";
import { DlqAttribute } from "../shared/runtime";
import { REPO_ROOT } from "../infra/config";
import { renderProgress } from "../local-stack/progress";
import { parseLineage } from "../local-stack/recursion";
import { type LocalConnector, type LocalStack, type LocalStackOptions, startLocalStack } from "../local-stack/stack";

/**
 * Long windows against the emulated recursive loop detection (local-stack/recursion.ts): the
 * local SQS keeps each message's AWSTraceHeader (local-stack/sqs.ts), the SDK middleware inside
 * the real handlers carries the lineage on, and the event source mapping stops a chain at its
 * 17th invocation under Terminate, as Lambda does.
 */
const dirs: string[] = [];
const stacks: LocalStack[] = [];
afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The repo's deploy config with test settings merged into two connectors. */
const deployConfig = (settings: { erpStock?: Record<string, unknown>; akeneoProducts?: Record<string, unknown> }): string => {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, "deploy.config.json"), "utf8")) as {
    integrations: { connectors: Record<string, { settings?: Record<string, unknown> }> }[];
  };
  for (const integration of config.integrations) {
    const { connectors } = integration;
    if (connectors["erp-stock"] && settings.erpStock) connectors["erp-stock"].settings = { ...connectors["erp-stock"].settings, ...settings.erpStock };
    if (connectors["akeneo-products"] && settings.akeneoProducts)
      connectors["akeneo-products"].settings = { ...connectors["akeneo-products"].settings, ...settings.akeneoProducts };
  }
  const dir = mkdtempSync(join(tmpdir(), "recursion-"));
  dirs.push(dir);
  const path = join(dir, "deploy.config.json");
  writeFileSync(path, JSON.stringify(config));
  return path;
};

const start = async (options: LocalStackOptions): Promise<LocalStack> => {
  const stack = await startLocalStack({ ephemeralPorts: true, endpointsFile: false, fireSchedulesAtStart: false, backoffBaseSeconds: 0, ...options });
  stacks.push(stack);
  return stack;
};

const connector = (stack: LocalStack, type: string): LocalConnector => {
  const found = stack.connectors.find((c) => c.resolved.connector === type);
  if (!found) throw new Error(`deploy.config.json has no ${type}`);
  return found;
};

const sendWindow = async (stack: LocalStack, target: LocalConnector, id: string, window: { from: string; to: string }) => {
  const envelope = createEnvelope({ id, integration: target.resolved.integration, connector: target.resolved.connector, type: "window", payload: window });
  await stack.sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: JSON.stringify(envelope) }));
};

const dlqMessages = async (stack: LocalStack, target: LocalConnector): Promise<Message[]> => {
  const all: Message[] = [];
  for (;;) {
    const batch =
      (
        await stack.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: target.dlqUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 30,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["All"],
          }),
        )
      ).Messages ?? [];
    if (batch.length === 0) return all;
    all.push(...batch);
  }
};

// 100 ERP levels of known Oro products in a window of their own: 50 pages of 2, one page per
// invocation (the hand-over margin exceeds any timeout; normally one invocation walks many pages).
const STOCK_AT = "2026-06-01T00:00:00.000Z";
const STOCK_WINDOW = { from: STOCK_AT, to: "2026-06-01T00:00:01.000Z" };
const seedStock = async (stack: LocalStack) => {
  await stack.sandboxes.oro?.admin.seed({
    productList: Array.from({ length: 100 }, (_, i) => ({ sku: `BULK-${String(i + 1).padStart(5, "0")}`, quantity: 0 })),
  });
  await stack.sandboxes.erp?.admin.putStock({ generate: { count: 100, prefix: "BULK-", quantityOffset: 5_000, updatedAt: STOCK_AT } });
};
const syncedLevels = (stack: LocalStack) =>
  (stack.sandboxes.oro?.store.list("inventorylevels") ?? []).filter((l) => Number(l.attributes.quantity) > 5_000).length;

// 2,000 Akeneo products: 20 listing pages of 100, one page per invocation (the hand-over margin exceeds any timeout).
const CATALOG = { count: 2_000, prefix: "CHAIN-", updatedAt: "2026-06-02T00:00:00Z", families: ["default_family"] };
const CATALOG_WINDOW = { from: "2026-06-02T00:00:00Z", to: "2026-06-02T00:00:01Z" };
const chainProducts = (stack: LocalStack) =>
  (stack.sandboxes.oro?.store.list("products") ?? []).filter((p) => String(p.attributes.sku).startsWith("CHAIN-")).length;

describe("Long windows with the deployed RecursiveLoop settings", () => {
  it("completes a 50-page erp-stock window and a 20-invocation Akeneo listing: both functions run with Allow", async () => {
    const stack = await start({
      deployConfigPath: deployConfig({ erpStock: { pageSize: 2, handoverMarginMs: 1e9 }, akeneoProducts: { handoverMarginMs: 1e9 } }),
    });
    const stock = connector(stack, "erp-stock");
    const products = connector(stack, "akeneo-products");
    expect([stock.recursiveLoop, products.recursiveLoop]).toEqual(["Allow", "Allow"]);

    await seedStock(stack);
    await stack.sandboxes.akeneo?.admin.seed(CATALOG);
    await sendWindow(stack, stock, "long-stock-window", STOCK_WINDOW);
    await sendWindow(stack, products, "long-catalog-window", CATALOG_WINDOW);
    await stack.idle(120_000);

    expect(syncedLevels(stack)).toBe(100);
    // The window plus 49 page messages: one chain, 50 invocations long, none stopped.
    expect(stock.mapping.stats.longestChain).toBe(50);
    expect(stock.mapping.stats.recursionStopped).toBe(0);
    expect(chainProducts(stack)).toBe(2_000);
    // Window + 19 continuations list the 20 pages; the page messages of the last continuation are invocation 21.
    expect(products.mapping.stats.longestChain).toBe(21);
    expect(products.mapping.stats.recursionStopped).toBe(0);
    expect(await dlqMessages(stack, stock)).toEqual([]);
    expect(await dlqMessages(stack, products)).toEqual([]);
  }, 180_000);
});

describe("Short chains by design", () => {
  it("walks the same 50-page erp-stock window in one invocation when the hand-over margin is the default", async () => {
    const stack = await start({ deployConfigPath: deployConfig({ erpStock: { pageSize: 2 } }), recursiveLoop: { "erp-stock": "Terminate" } });
    const stock = connector(stack, "erp-stock");
    await seedStock(stack);
    await sendWindow(stack, stock, "short-stock-window", STOCK_WINDOW);
    await stack.idle(120_000);
    expect(syncedLevels(stack)).toBe(100);
    expect([stock.mapping.stats.invocations, stock.mapping.stats.longestChain, stock.mapping.stats.recursionStopped]).toEqual([1, 1, 0]);
  }, 120_000);
});

describe("The same chains under Lambda's default (Terminate) and under the runtime's hop cap", () => {
  it("stops the erp-stock chain at its 17th invocation and moves that page to the DLQ; the hop cap dead-letters a too-long Akeneo chain with its reason", async () => {
    const stack = await start({
      deployConfigPath: deployConfig({ erpStock: { pageSize: 2, handoverMarginMs: 1e9 }, akeneoProducts: { handoverMarginMs: 1e9, maxChainHops: 10 } }),
      recursiveLoop: { "erp-stock": "Terminate" },
    });
    const stock = connector(stack, "erp-stock");
    const products = connector(stack, "akeneo-products");
    expect([stock.recursiveLoop, products.recursiveLoop]).toEqual(["Terminate", "Allow"]);

    await seedStock(stack);
    await stack.sandboxes.akeneo?.admin.seed(CATALOG);
    await sendWindow(stack, stock, "stopped-stock-window", STOCK_WINDOW);
    await sendWindow(stack, products, "capped-catalog-window", CATALOG_WINDOW);
    await stack.idle(120_000);

    // Lambda: invocations 1..16 ran (pages 1..16, 32 levels); the 17th was not invoked.
    expect(syncedLevels(stack)).toBe(32);
    expect(stock.mapping.stats.recursionStopped).toBe(1);
    expect(stock.recursionStops.map((s) => [s.invocation, s.movedTo])).toEqual([[17, "dlq"]]);
    const stockDlq = await dlqMessages(stack, stock);
    expect(stockDlq).toHaveLength(1);
    const stopped = stockDlq[0] as Message;
    const envelope = JSON.parse(stopped.Body ?? "{}") as { type: string; hop: number; payload: { page: number } };
    expect([envelope.type, envelope.hop, envelope.payload.page]).toEqual(["page", 16, 17]);
    // Lambda moves the event as it is: no reason attributes (only the runtime writes those) ...
    expect(stopped.MessageAttributes?.[DlqAttribute.code]).toBeUndefined();
    // ... and its trace header still says which chain it was: the function's 16th invocation sent it.
    expect([...parseLineage(stopped.Attributes?.AWSTraceHeader).values()]).toContain(15);
    // npm start's table says so too.
    expect(await renderProgress(stack)).toContain("erp-main/erp-stock: 1 message(s) at invocation 17 of a chain, moved to its DLQ (RecursiveLoop Terminate)");

    // The hop cap: hops 0..10 run; the 11th hand-overs (continuation and the page of the 11th listing page) are dead-lettered with their reason.
    expect(chainProducts(stack)).toBe(1_000);
    const capped = await dlqMessages(stack, products);
    expect(capped.map((m) => [(JSON.parse(m.Body ?? "{}") as { type: string }).type, m.MessageAttributes?.[DlqAttribute.code]?.StringValue]).sort()).toEqual([
      ["continuation", "CHAIN_TOO_LONG"],
      ["page", "CHAIN_TOO_LONG"],
    ]);
    expect(capped[0]?.MessageAttributes?.[DlqAttribute.message]?.StringValue).toMatch(
      /is hop 11 of a chain .* past this connector's cap of 10 hops: .* raise settings\.maxChainHops .* then redrive/,
    );
    expect(products.mapping.stats.recursionStopped).toBe(0);
  }, 180_000);
});
