import type { Message } from "@aws-sdk/client-sqs";
import type { AkeneoProduct } from "../../sandboxes/akeneo";
import type { ErpSandbox } from "../../sandboxes/erp";
import type { OroSandbox, StoredRecord } from "../../sandboxes/oro";
import { skuOf, type SourceOrder, type SourceProduct } from "./data";

/**
 * Compares what Oro and the ERP hold at the end of a run with the source data: lost records
 * (missing or wrong in the target), duplicates, where the poison records went (DLQ with a reason,
 * an Oro alert), and every other alert and DLQ message.
 */
export interface ProductCheck {
  source: number;
  good: number;
  poison: number;
  /** Good products missing in Oro. */
  missing: string[];
  /** Good products in Oro with a wrong field (sku: reason). */
  wrong: string[];
  /** Poison products that landed in Oro anyway. */
  poisonLanded: string[];
  /** Extra Oro products with the SKU of another (case-insensitive). */
  duplicateProducts: number;
  /** Extra name / unit precision rows of a product: same localization twice, or rows no product references. */
  duplicateRows: number;
  duplicateRowExamples: string[];
}

export interface OrderCheck {
  source: number;
  good: number;
  poison: number;
  missing: string[];
  wrong: string[];
  poisonLanded: string[];
  /** ERP orders beyond the first for one Oro order. */
  duplicateErpOrders: number;
}

export interface DlqCheck {
  messages: number;
  /** Poison records with a DLQ copy that carries ErrorCode and ErrorMessage. */
  poisonWithReason: number;
  /** Poison records whose DLQ copies lack the reason. */
  poisonWithoutReason: string[];
  /** DLQ copies beyond the first of a poison record (redeliveries: at-least-once). */
  extraCopies: number;
  /** DLQ messages that are not a poison record (good records, whole pages, windows). */
  unexpected: string[];
  codes: Record<string, number>;
}

export interface AlertCheck {
  total: number;
  /** Poison records with an unresolved alert naming them (externalId). */
  poisonAlerted: number;
  poisonNotAlerted: string[];
  /** Alerts of a poison record beyond the first (the same dedup key alerted twice). */
  poisonDuplicateAlerts: string[];
  /** Alerts of anything else (transient exhaustion, auth, ...): created and resolved. */
  otherCreated: number;
  otherResolved: number;
  otherOpen: string[];
}

const ref = (record: StoredRecord | undefined, name: string) => {
  const value = record?.relationships[name];
  return value && !Array.isArray(value) ? value : undefined;
};
const refs = (record: StoredRecord | undefined, name: string) => {
  const value = record?.relationships[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};

const UNIT = { PIECE: "piece", EACH: "each", ITEM: "item", SET: "set", KILOGRAM: "kg", HOUR: "hour" } as Record<string, string>;

const scalar = (product: AkeneoProduct, code: string) => product.values[code]?.find((v) => v.locale === null)?.data;

/** The SKU of a source product: its identifier attribute (`sku`), else its uuid (proof/chaos/data.ts `skuOf`). */
export const sourceSku = skuOf;

/**
 * The key Oro compares SKUs by: upper-cased with full case mapping, so "abc-1" and "ABC-1", or
 * "Straße" and "STRASSE", are one SKU (Product::$skuUppercase, docs/reference/oro-api.md §2.3).
 */
export const skuKey = (sku: unknown): string => String(sku).toUpperCase();

export const checkProducts = (oro: Pick<OroSandbox, "store">, source: SourceProduct[]): ProductCheck => {
  const products = oro.store.list("products");
  const bySku = new Map<string, StoredRecord[]>();
  for (const p of products) {
    const key = skuKey(p.attributes.sku);
    bySku.set(key, [...(bySku.get(key) ?? []), p]);
  }
  const names = oro.store.mustTable("productnames");
  const precisions = oro.store.mustTable("productunitprecisions");
  const families = oro.store.mustTable("attributefamilies");
  const check: ProductCheck = {
    source: source.length,
    good: 0,
    poison: 0,
    missing: [],
    wrong: [],
    poisonLanded: [],
    duplicateProducts: 0,
    duplicateRows: 0,
    duplicateRowExamples: [],
  };
  const extraRows = (n: number, example: string) => {
    check.duplicateRows += n;
    if (n > 0 && check.duplicateRowExamples.length < 5) check.duplicateRowExamples.push(example);
  };
  for (const [, list] of bySku) check.duplicateProducts += list.length - 1;

  for (const { product, poison } of source) {
    const sku = sourceSku(product);
    const found = bySku.get(skuKey(sku))?.[0];
    if (poison) {
      check.poison++;
      if (found) check.poisonLanded.push(sku);
      continue;
    }
    check.good++;
    if (!found) {
      check.missing.push(sku);
      continue;
    }
    const problems: string[] = [];
    if (found.attributes.status !== (product.enabled ? "enabled" : "disabled")) problems.push(`status ${String(found.attributes.status)}`);
    const productNames = refs(found, "names").map((r) => names.get(r.id));
    const defaultName = productNames.find((n) => n && !ref(n, "localization"))?.attributes.string;
    const expectedName = product.values.name?.find((v) => v.locale === "en_US")?.data;
    if (defaultName !== expectedName) problems.push(`name ${JSON.stringify(defaultName)}`);
    const localizations = productNames.map((n) => ref(n, "localization")?.id ?? "default");
    extraRows(localizations.length - new Set(localizations).size, `${sku}: names ${localizations.join(",")}`);
    const family = families.get(ref(found, "attributeFamily")?.id ?? "")?.attributes.code;
    if (family !== product.family) problems.push(`family ${String(family)}`);
    const unit = ref(precisions.get(ref(found, "primaryUnitPrecision")?.id ?? ""), "unit")?.id;
    if (unit !== UNIT[String(scalar(product, "unit"))]) problems.push(`unit ${String(unit)}`);
    const units = refs(found, "unitPrecisions").map((r) => ref(precisions.get(r.id), "unit")?.id ?? "?");
    extraRows(units.length - new Set(units).size, `${sku}: unit precisions ${units.join(",")}`);
    if (problems.length > 0) check.wrong.push(`${sku}: ${problems.join(", ")}`);
  }
  // Rows of a product no product references any more (left behind by a re-write).
  const referenced = new Set(products.flatMap((p) => [...refs(p, "names"), ...refs(p, "unitPrecisions")].map((r) => `${r.type}:${r.id}`)));
  for (const type of ["productnames", "productunitprecisions"]) {
    for (const row of oro.store.list(type))
      if (ref(row, "product") && !referenced.has(`${type}:${row.id}`))
        extraRows(1, `${type} ${row.id} of product ${ref(row, "product")?.id} not referenced by it`);
  }
  return check;
};

/** `orderIds`: the Oro order id of each source order (same index). */
export const checkOrders = (oro: Pick<OroSandbox, "store">, erp: Pick<ErpSandbox, "state">, source: SourceOrder[], orderIds: string[]): OrderCheck => {
  const erpBySource = new Map<string, { orderNumber: string; lines: { sku: string; quantity: string | number }[] }[]>();
  for (const record of erp.state.orders.values()) {
    const key = record.order.source.orderId;
    erpBySource.set(key, [...(erpBySource.get(key) ?? []), { orderNumber: record.orderNumber, lines: record.order.lines }]);
  }
  const check: OrderCheck = { source: source.length, good: 0, poison: 0, missing: [], wrong: [], poisonLanded: [], duplicateErpOrders: 0 };
  for (const [, list] of erpBySource) check.duplicateErpOrders += list.length - 1;
  const orders = oro.store.mustTable("orders");
  source.forEach((order, index) => {
    const id = orderIds[index] as string;
    const inErp = erpBySource.get(id)?.[0];
    if (order.poison) {
      check.poison++;
      if (inErp) check.poisonLanded.push(order.identifier);
      return;
    }
    check.good++;
    if (!inErp) {
      check.missing.push(order.identifier);
      return;
    }
    const problems: string[] = [];
    const lines = inErp.lines.map((l) => `${l.sku}x${Number(l.quantity)}`).join(",");
    const expected = order.lines.map((l) => `${l.sku}x${l.quantity}`).join(",");
    if (lines !== expected) problems.push(`lines ${lines} (expected ${expected})`);
    const writtenBack = orders.get(id)?.attributes.externalId;
    if (writtenBack !== inErp.orderNumber) problems.push(`Oro externalId ${String(writtenBack)} (ERP ${inErp.orderNumber})`);
    if (problems.length > 0) check.wrong.push(`${order.identifier}: ${problems.join(", ")}`);
  });
  return check;
};

const parse = (text: string | undefined): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text ?? "");
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** What a DLQ message holds: the product identifiers of a page, the Oro order id of an order message. */
export const dlqSubject = (connector: string, message: Message): { products?: string[]; orderId?: string; type?: string } => {
  const body = parse(message.Body);
  const payload = (body?.payload ?? body) as Record<string, unknown> | undefined;
  const type = typeof body?.type === "string" ? body.type : typeof body?.topic === "string" ? body.topic : undefined;
  if (connector === "akeneo-products" && Array.isArray(payload?.products)) {
    return { type, products: (payload.products as AkeneoProduct[]).map(sourceSku) };
  }
  const eventData = payload?.eventData as { data?: { id?: unknown } } | undefined;
  const orderId = eventData?.data?.id ?? payload?.orderId;
  return orderId === undefined ? { ...(type ? { type } : {}) } : { ...(type ? { type } : {}), orderId: String(orderId) };
};

const hasReason = (m: Message) => Boolean(m.MessageAttributes?.ErrorCode?.StringValue && m.MessageAttributes?.ErrorMessage?.StringValue);

export const checkDlq = (dlq: { connector: string; message: Message }[], products: SourceProduct[], orders: SourceOrder[], orderIds: string[]): DlqCheck => {
  const poisonProducts = new Set(products.filter((p) => p.poison).map((p) => sourceSku(p.product)));
  const poisonOrders = new Map(orders.flatMap((o, i) => (o.poison ? [[orderIds[i] as string, o.identifier] as const] : [])));
  const copies = new Map<string, Message[]>();
  const check: DlqCheck = { messages: dlq.length, poisonWithReason: 0, poisonWithoutReason: [], extraCopies: 0, unexpected: [], codes: {} };
  for (const { connector, message } of dlq) {
    const code = message.MessageAttributes?.ErrorCode?.StringValue ?? "none";
    check.codes[code] = (check.codes[code] ?? 0) + 1;
    const subject = dlqSubject(connector, message);
    const poison =
      subject.products?.length === 1 && poisonProducts.has(subject.products[0] as string)
        ? (subject.products[0] as string)
        : subject.orderId !== undefined
          ? poisonOrders.get(subject.orderId)
          : undefined;
    if (poison === undefined) {
      check.unexpected.push(
        `${connector}: ${subject.type ?? "?"} ${subject.products ? `${subject.products.length} product(s) ${subject.products.slice(0, 3).join(", ")}` : (subject.orderId ?? "")} code ${code}`,
      );
      continue;
    }
    copies.set(poison, [...(copies.get(poison) ?? []), message]);
  }
  for (const [key, list] of copies) {
    check.extraCopies += list.length - 1;
    if (list.some(hasReason)) check.poisonWithReason++;
    else check.poisonWithoutReason.push(key);
  }
  return check;
};

export const checkAlerts = (oro: Pick<OroSandbox, "store">, poisonKeys: string[]): AlertCheck => {
  const alerts = oro.store.list("notificationalerts");
  const poison = new Set(poisonKeys);
  const alerted = new Set(
    alerts.filter((a) => a.attributes.resolved === false && poison.has(String(a.attributes.externalId))).map((a) => String(a.attributes.externalId)),
  );
  const other = alerts.filter((a) => !poison.has(String(a.attributes.externalId)));
  const perKey = new Map<string, number>();
  for (const a of alerts)
    if (poison.has(String(a.attributes.externalId))) perKey.set(String(a.attributes.externalId), (perKey.get(String(a.attributes.externalId)) ?? 0) + 1);
  return {
    total: alerts.length,
    poisonAlerted: alerted.size,
    poisonNotAlerted: poisonKeys.filter((k) => !alerted.has(k)),
    poisonDuplicateAlerts: [...perKey].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`),
    otherCreated: other.length,
    otherResolved: other.filter((a) => a.attributes.resolved === true).length,
    otherOpen: other
      .filter((a) => a.attributes.resolved !== true)
      .map(
        (a) =>
          `${String(a.attributes.alertType)}/${String(a.attributes.step)} ${String(a.attributes.externalId ?? a.attributes.itemId ?? "")}: ${String(a.attributes.message).slice(0, 160)}`,
      ),
  };
};
