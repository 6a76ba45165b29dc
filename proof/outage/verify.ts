import type { Message } from "@aws-sdk/client-sqs";
import type { ErpSandbox } from "../../sandboxes/erp";
import type { OroSandbox } from "../../sandboxes/oro";
import type { OrderCheck, ProductCheck } from "../chaos/verify";
import { dlqSubject } from "../chaos/verify";

/** The records the connector DLQs hold that are not in their target yet (a page can have landed in part before the outage). */
export interface DeadRecords {
  /** SKUs of dead-lettered pages' products missing in Oro. */
  products: Set<string>;
  /** Oro order ids of dead-lettered order messages with no ERP order. */
  orders: Set<string>;
}

export const deadRecords = (
  dlq: readonly { connector: string; message: Message }[],
  oro: Pick<OroSandbox, "store">,
  erp: Pick<ErpSandbox, "state">,
): DeadRecords => {
  const products = oro.store.mustTable("products");
  const inErp = new Set([...erp.state.orders.values()].map((o) => o.order.source.orderId));
  const dead: DeadRecords = { products: new Set(), orders: new Set() };
  for (const { connector, message } of dlq) {
    const subject = dlqSubject(connector, message);
    for (const sku of subject.products ?? []) if (products.findUnique("sku", sku) === undefined) dead.products.add(sku);
    if (subject.orderId !== undefined && !inErp.has(subject.orderId)) dead.orders.add(subject.orderId);
  }
  return dead;
};

/**
 * Of the dead records, how many are in their target after the redrive: `identifierOf` maps an Oro
 * order id to the order identifier the order check reports missing ones by.
 */
export const landedAfterRedrive = (
  dead: DeadRecords,
  products: Pick<ProductCheck, "missing">,
  orders: Pick<OrderCheck, "missing">,
  identifierOf: ReadonlyMap<string, string>,
): number => {
  const missing = new Set([...products.missing, ...orders.missing]);
  return [...dead.products].filter((sku) => !missing.has(sku)).length + [...dead.orders].filter((id) => !missing.has(identifierOf.get(id) ?? id)).length;
};
