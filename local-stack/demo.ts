import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { generateCatalog, identifierOf, type CatalogOptions } from "../sandboxes/akeneo/catalog";
import type { StoredRecord } from "../sandboxes/oro/model/types";
import { DlqAttribute } from "../shared/runtime";
import { windowUntilNow } from "../shared/sync";
import type { LocalStack } from "./stack";

/** A stock level the ERP reports for a SKU Oro does not have: the demo's deliberately bad record. */
export const DEMO_BAD_SKU = "DEMO-NO-SUCH-SKU";
// One family: the Oro sandbox knows `default_family` only, and an unknown family is (rightly) a skipped product.
/** When the demo's source rows changed: a fixed past time, so no window end can fall in the same millisecond. */
const DEMO_SEEDED_AT = "2026-01-01T00:00:00.000Z";
const DEMO_CATALOG: CatalogOptions = { count: 60, prefix: "DEMO-", updatedAt: DEMO_SEEDED_AT, families: ["default_family"] };

export interface DemoCheck {
  check: string;
  expected: string;
  actual: string;
  ok: boolean;
}

const ref = (record: StoredRecord | undefined, name: string) => {
  const value = record?.relationships[name];
  return value && !Array.isArray(value) ? value : undefined;
};

/**
 * One full cycle of every connector on the local stack, then a comparison of what the sandboxes
 * hold with the source data:
 * - Akeneo products to Oro: a catalog is seeded in Akeneo, a window covering it is sent, and every
 *   product must exist in Oro by SKU with its enabled status;
 * - Oro orders to the ERP: an order is created in Oro, whose `order.created` webhook goes through
 *   the ingress; the ERP must hold it once and Oro must carry the ERP order number;
 * - ERP stock to Oro: every ERP level of a known SKU must equal Oro's inventory level; one level
 *   names a SKU Oro does not have and must sit in the DLQ with an unresolved alert in Oro.
 */
export const runDemo = async (stack: LocalStack, log: (line: string) => void): Promise<DemoCheck[]> => {
  const { oro, akeneo, erp } = stack.sandboxes;
  if (!oro || !akeneo || !erp) throw new Error("the demo needs the Oro, Akeneo and ERP sandboxes (local-stack/local.json: sandboxes.*.enabled)");
  const checks: DemoCheck[] = [];
  const check = (name: string, expected: unknown, actual: unknown) => {
    checks.push({ check: name, expected: String(expected), actual: String(actual), ok: String(expected) === String(actual) });
  };

  log("seeding: Akeneo catalog, ERP stock (with one unknown SKU), an Oro order");
  await akeneo.admin.seed(DEMO_CATALOG);
  const catalog = generateCatalog(DEMO_CATALOG);
  const products = oro.store.list("products");
  const knownSkus = products.slice(0, 10).map((p) => String(p.attributes.sku));
  // Seeded at a fixed past time (like the catalog), not "now": see windowUntilNow.
  const stockLevels = [...knownSkus.map((sku, i) => ({ sku, unit: "each", quantity: 100 + i })), { sku: DEMO_BAD_SKU, unit: "each", quantity: 5 }];
  await erp.admin.putStock({ levels: stockLevels.map((level) => ({ ...level, updatedAt: DEMO_SEEDED_AT })) });

  log("running: Akeneo window (backfill of the whole catalog), ERP stock window, order.created webhook");
  const find = (connector: string) => stack.connectors.find((c) => c.resolved.connector === connector);
  const send = async (connector: string, type: string, id: string, payload: Record<string, unknown>) => {
    const target = find(connector);
    if (!target) throw new Error(`the deploy config does not enable ${connector}`);
    const { SendMessageCommand } = await import("@aws-sdk/client-sqs");
    const { createEnvelope } = await import("../shared/messages");
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: JSON.stringify(createEnvelope({ id, integration: target.resolved.integration, connector, type, payload })) }));
  };
  const window = windowUntilNow(new Date("2000-01-01T00:00:00Z"));
  const bounds = { from: window.from.toISOString(), to: window.to.toISOString() };
  await send("akeneo-products", "window", `demo-initial-${bounds.to}`, bounds);
  await send("erp-stock", "window", `demo-stock-${bounds.to}`, bounds);
  const order = await oro.admin.createOrder({ lines: [{ sku: knownSkus[0] as string, quantity: 2 }, { sku: knownSkus[1] as string, quantity: 1 }] });
  const orderId = order.data.id;

  await stack.idle(180_000);
  log("comparing the sandboxes with the source data");

  // Akeneo -> Oro products.
  const oroProducts = new Map(oro.store.list("products").map((p) => [String(p.attributes.sku).toUpperCase(), p]));
  const synced = catalog.filter((p) => {
    const target = oroProducts.get(String(identifierOf(p)).toUpperCase());
    return target !== undefined && target.attributes.status === (p.enabled ? "enabled" : "disabled");
  });
  check("Akeneo products in Oro (by SKU, with status)", catalog.length, synced.length);

  // Oro order -> ERP, with the ERP number written back.
  const erpOrders = (await erp.admin.orders()).filter((o) => o.order.source.orderId === orderId);
  check("Oro order exported to the ERP (exactly once)", 1, erpOrders.length);
  const oroOrder = oro.store.mustTable("orders").get(orderId);
  check("ERP order number written back to Oro", erpOrders[0]?.orderNumber ?? "(none)", oroOrder?.attributes.externalId ?? oroOrder?.attributes.poNumber ?? "(none)");

  // ERP stock -> Oro inventory levels.
  const precisions = oro.store.mustTable("productunitprecisions");
  const levels = oro.store.list("inventorylevels");
  let matching = 0;
  for (const [i, sku] of knownSkus.entries()) {
    const product = oroProducts.get(sku.toUpperCase());
    const level = levels.find((l) => ref(l, "product")?.id === product?.id && ref(precisions.get(ref(l, "productUnitPrecision")?.id ?? ""), "unit")?.id === "each");
    if (level && Number(level.attributes.quantity) === 100 + i) matching++;
  }
  check("ERP stock levels in Oro inventory", knownSkus.length, matching);

  // The bad record: in the DLQ with its reason, and an alert in Oro.
  const stock = find("erp-stock");
  const dead = stock
    ? ((await stack.sqs.send(new ReceiveMessageCommand({ QueueUrl: stock.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageAttributeNames: ["All"] }))).Messages ?? [])
    : [];
  const badInDlq = dead.filter((m) => (m.Body ?? "").includes(DEMO_BAD_SKU) && m.MessageAttributes?.[DlqAttribute.code]?.StringValue);
  check(`bad record (${DEMO_BAD_SKU}) in the erp-stock DLQ with its reason`, 1, badInDlq.length);
  const alerts = oro.store.list("notificationalerts").filter((a) => a.attributes.externalId === DEMO_BAD_SKU && a.attributes.resolved === false);
  check("its alert in Oro (unresolved)", 1, alerts.length);
  return checks;
};

/** A fixed-width table of the checks. */
export const formatChecks = (checks: DemoCheck[]): string => {
  const rows = [["check", "expected", "actual", ""], ...checks.map((c) => [c.check, c.expected, c.actual, c.ok ? "ok" : "FAIL"])];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")).join("\n");
};
