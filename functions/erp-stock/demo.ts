import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { ConnectorDemo } from "../../local-stack/demo-types";
import type { StoredRecord } from "../../sandboxes/oro/model/types";
import { DlqAttribute } from "../../shared/runtime";

/** A stock level the ERP reports for a SKU Oro does not have: the demo's deliberately bad record. */
export const DEMO_BAD_SKU = "DEMO-NO-SUCH-SKU";
const LEVELS = "ERP stock levels in Oro inventory";
const IN_DLQ = `bad record (${DEMO_BAD_SKU}) in the erp-stock DLQ with its reason`;
const ALERT = "its alert in Oro (unresolved)";

const ref = (record: StoredRecord | undefined, name: string) => {
  const value = record?.relationships[name];
  return value && !Array.isArray(value) ? value : undefined;
};

let knownSkus: string[] = [];

/**
 * Every ERP level of a known SKU must equal Oro's inventory level; one level names a SKU Oro does
 * not have and must sit in the DLQ with an unresolved alert in Oro.
 */
export const demo: ConnectorDemo = {
  connector: "erp-stock",
  checks: [LEVELS, IN_DLQ, ALERT],
  async seed({ stack, seededAt }) {
    knownSkus = (stack.sandboxes.oro?.store.list("products") ?? []).slice(0, 10).map((p) => String(p.attributes.sku));
    const levels = [...knownSkus.map((sku, i) => ({ sku, unit: "each", quantity: 100 + i })), { sku: DEMO_BAD_SKU, unit: "each", quantity: 5 }];
    await stack.sandboxes.erp?.admin.putStock({ levels: levels.map((level) => ({ ...level, updatedAt: seededAt })) });
  },
  async start({ send, window }) {
    await send("erp-stock", "window", `demo-stock-${window.to}`, window);
  },
  async verify({ stack, check }) {
    const oro = stack.sandboxes.oro;
    const oroProducts = new Map((oro?.store.list("products") ?? []).map((p) => [String(p.attributes.sku).toUpperCase(), p]));
    const precisions = oro?.store.mustTable("productunitprecisions");
    const levels = oro?.store.list("inventorylevels") ?? [];
    let matching = 0;
    for (const [i, sku] of knownSkus.entries()) {
      const product = oroProducts.get(sku.toUpperCase());
      const level = levels.find(
        (l) => ref(l, "product")?.id === product?.id && ref(precisions?.get(ref(l, "productUnitPrecision")?.id ?? ""), "unit")?.id === "each",
      );
      if (level && Number(level.attributes.quantity) === 100 + i) matching++;
    }
    check(LEVELS, knownSkus.length, matching);

    const stock = stack.connectors.find((c) => c.resolved.connector === "erp-stock");
    const dead = stock
      ? ((
          await stack.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: stock.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageAttributeNames: ["All"] }),
          )
        ).Messages ?? [])
      : [];
    check(IN_DLQ, 1, dead.filter((m) => (m.Body ?? "").includes(DEMO_BAD_SKU) && m.MessageAttributes?.[DlqAttribute.code]?.StringValue).length);
    check(
      ALERT,
      1,
      (oro?.store.list("notificationalerts") ?? []).filter((a) => a.attributes.externalId === DEMO_BAD_SKU && a.attributes.resolved === false).length,
    );
  },
};
