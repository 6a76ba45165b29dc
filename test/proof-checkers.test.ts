import type { Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import type { SourceOrder, SourceProduct } from "../proof/chaos/data";
import { checkAlerts, checkDlq, checkOrders, checkProducts, dlqSubject, skuKey, sourceSku } from "../proof/chaos/verify";
import { type AkeneoProduct, generateProduct } from "../sandboxes/akeneo";
import { ErpState } from "../sandboxes/erp";
import type { ErpOrderRecord } from "../sandboxes/erp";
import { ORO_RESOURCES, OroStore } from "../sandboxes/oro";
import type { Ref } from "../sandboxes/oro";

/**
 * The chaos checker (proof/chaos/verify.ts) on hand-made Oro and ERP states whose losses and
 * duplicates are known: a checker that miscounts lets the chaos proof report "duplicated 0"
 * over a broken run (issue 16, gap 1).
 */

const ref = (type: string, id: string): Ref => ({ type, id });
/** Akeneo unit codes -> Oro unit ids, as the default mapping converts them. */
const ORO_UNIT: Record<string, string> = { PIECE: "piece", SET: "set", KILOGRAM: "kg" };

interface Oro {
  store: OroStore;
  /** Writes a product as a correct sync of `product` would (names, unit precisions, family), with overrides. */
  land(
    product: AkeneoProduct,
    over?: { sku?: string; status?: string; name?: string; family?: string; unit?: string; extraNames?: Array<string | null>; extraUnits?: string[] },
  ): string;
}

const oroState = (): Oro => {
  const store = new OroStore(ORO_RESOURCES);
  const put = (type: string, attributes: Record<string, unknown>, relationships: Record<string, Ref | Ref[] | null> = {}) => {
    const table = store.mustTable(type);
    const id = table.nextId();
    table.put({ type, id, attributes, relationships });
    return id;
  };
  const families = new Map<string, string>();
  const family = (code: string) => families.get(code) ?? (families.set(code, put("attributefamilies", { code })), families.get(code) as string);
  const localization = put("localizations", { name: "German", formattingCode: "de_DE" });
  return {
    store,
    land(product, over = {}) {
      const id = String(store.mustTable("products").size + 1);
      const name = (string: string, loc: string | null) =>
        put("productnames", { string }, { product: ref("products", id), localization: loc ? ref("localizations", loc) : null });
      const precision = (unit: string) => put("productunitprecisions", { precision: 0 }, { product: ref("products", id), unit: ref("productunits", unit) });
      const names = [name(over.name ?? (product.values.name?.find((v) => v.locale === "en_US")?.data as string), null), name("Produkt", localization)];
      for (const loc of over.extraNames ?? []) names.push(name("again", loc === null ? null : localization));
      const primary = precision(over.unit ?? (ORO_UNIT[String(product.values.unit?.[0]?.data)] as string));
      const units = [primary, ...(over.extraUnits ?? []).map(precision)];
      store.mustTable("products").put({
        type: "products",
        id,
        attributes: { sku: over.sku ?? sourceSku(product), status: over.status ?? (product.enabled ? "enabled" : "disabled") },
        relationships: {
          names: names.map((n) => ref("productnames", n)),
          attributeFamily: ref("attributefamilies", family(over.family ?? (product.family as string))),
          primaryUnitPrecision: ref("productunitprecisions", primary),
          unitPrecisions: units.map((u) => ref("productunitprecisions", u)),
        },
      });
      return id;
    },
  };
};

/** Good products CHK-00001.. (enabled unless n % 10 == 0, units by n % 4). */
const source = (count: number, poison: number[] = []): SourceProduct[] =>
  Array.from({ length: count }, (_, i) => {
    const product = generateProduct(i + 1, { prefix: "CHK-", families: ["default_family"] });
    return poison.includes(i + 1) ? { product, poison: "unknown-family" as const } : { product };
  });

describe("Function: checkProducts", () => {
  it("counts nothing lost or duplicated when every good product landed exactly once", () => {
    const oro = oroState();
    const products = source(12, [5]);
    for (const p of products) if (!p.poison) oro.land(p.product);

    expect(checkProducts(oro, products)).toEqual({
      source: 12,
      good: 11,
      poison: 1,
      missing: [],
      wrong: [],
      poisonLanded: [],
      duplicateProducts: 0,
      duplicateRows: 0,
      duplicateRowExamples: [],
    });
  });

  it("names each missing, wrong and wrongly landed product", () => {
    const oro = oroState();
    const [p1, p2, p3, p4, p5, p6, p7] = source(7, [7]).map((p) => p.product) as AkeneoProduct[];
    oro.land(p1 as AkeneoProduct);
    // p2 missing.
    oro.land(p3 as AkeneoProduct, { status: "disabled" });
    oro.land(p4 as AkeneoProduct, { name: "Old name", family: "accessories" });
    oro.land(p5 as AkeneoProduct, { unit: "each" });
    oro.land(p6 as AkeneoProduct);
    oro.land(p7 as AkeneoProduct);

    const check = checkProducts(oro, source(7, [7]));

    expect(check.missing).toEqual([sourceSku(p2 as AkeneoProduct)]);
    expect(check.wrong).toEqual(["CHK-00003: status disabled", 'CHK-00004: name "Old name", family accessories', "CHK-00005: unit each"]);
    expect(check.poisonLanded).toEqual(["CHK-00007"]);
    expect([check.good, check.poison, check.duplicateProducts, check.duplicateRows]).toEqual([6, 1, 0, 0]);
  });

  it("counts a product written twice under SKUs that differ only in case as one duplicate, and finds it", () => {
    const oro = oroState();
    const [p1, p2, p3] = source(3).map((p) => p.product) as AkeneoProduct[];
    oro.land(p1 as AkeneoProduct);
    oro.land(p1 as AkeneoProduct, { sku: "chk-00001" });
    oro.land(p1 as AkeneoProduct, { sku: "Chk-00001" });
    // Source and Oro disagree on case only: landed (Oro matches SKUs case-insensitively).
    oro.land(p2 as AkeneoProduct, { sku: "chk-00002" });
    oro.land(p3 as AkeneoProduct);

    const check = checkProducts(oro, source(3));

    expect(check.duplicateProducts).toBe(2);
    expect(check.missing).toEqual([]);
    expect(check.wrong).toEqual([]);
  });

  it("groups SKUs by Oro's upper-case key: Straße and STRASSE are one SKU, ı and I too", () => {
    expect(skuKey("Straße-1")).toBe("STRASSE-1");
    expect(skuKey("ıtem-1")).toBe(skuKey("ITEM-1"));
    const oro = oroState();
    const straße = generateProduct(1, { prefix: "Straße-", families: ["default_family"] });
    oro.land(straße);
    oro.land(straße, { sku: "STRASSE-00001" });
    oro.land(straße, { sku: "strasse-00001" });

    const check = checkProducts(oro, [{ product: straße }]);

    expect(check.duplicateProducts).toBe(2);
    expect(check.missing).toEqual([]);
  });

  it("counts duplicate name and unit rows of one product, and rows no product references", () => {
    const oro = oroState();
    const [p1, p2, p3] = source(3).map((p) => p.product) as AkeneoProduct[];
    oro.land(p1 as AkeneoProduct, { extraNames: [null] });
    oro.land(p2 as AkeneoProduct, { extraNames: ["de_DE"], extraUnits: ["piece", "set"] });
    oro.land(p3 as AkeneoProduct);
    // A re-write left the old name row of product 3 behind.
    const orphan = oro.store.mustTable("productnames").nextId();
    oro.store
      .mustTable("productnames")
      .put({ type: "productnames", id: orphan, attributes: { string: "stale" }, relationships: { product: ref("products", "3"), localization: null } });

    const check = checkProducts(oro, source(3));

    // p1: default name twice (1); p2 (unit SET): German name twice (1), set twice (1); the orphan (1).
    expect(check.duplicateRows).toBe(4);
    expect(check.duplicateProducts).toBe(0);
    expect(check.duplicateRowExamples).toEqual([
      "CHK-00001: names default,1,default",
      "CHK-00002: names default,1,1",
      "CHK-00002: unit precisions set,piece,set",
      `productnames ${orphan} of product 3 not referenced by it`,
    ]);
  });

  it("keeps at most five duplicate-row examples but counts every row", () => {
    const oro = oroState();
    const products = source(7);
    for (const p of products) oro.land(p.product, { extraNames: [null] });
    const check = checkProducts(oro, products);
    expect(check.duplicateRows).toBe(7);
    expect(check.duplicateRowExamples).toHaveLength(5);
  });
});

const erpOrder = (orderNumber: string, orderId: string, lines: Array<{ sku: string; quantity: number | string }>): ErpOrderRecord =>
  ({
    orderNumber,
    status: "accepted",
    idempotencyKey: `k-${orderNumber}`,
    createdAt: "2026-12-01T00:00:00Z",
    order: { source: { system: "oro", orderId }, lines },
  }) as unknown as ErpOrderRecord;

const ordersOf = (count: number, poison: number[] = []): SourceOrder[] =>
  Array.from({ length: count }, (_, i) => ({
    identifier: `CHK-O-${i + 1}`,
    lines: [{ sku: "SKU-0001", quantity: i + 1 }],
    ...(poison.includes(i + 1) ? { poison: "unknown-erp-item" as const } : {}),
  }));

/** Oro orders 101.. with `externalId` written back as given. */
const oroOrders = (numbers: Array<string | undefined>) => {
  const oro = oroState();
  numbers.forEach((externalId, i) =>
    oro.store.mustTable("orders").put({ type: "orders", id: String(101 + i), attributes: externalId === undefined ? {} : { externalId }, relationships: {} }),
  );
  return oro;
};

describe("Function: checkOrders", () => {
  it("counts two ERP orders for one Oro order as one duplicate, three as two", () => {
    const erp = new ErpState();
    erp.orders.set("ERP-1", erpOrder("ERP-1", "101", [{ sku: "SKU-0001", quantity: "1" }]));
    erp.orders.set("ERP-2", erpOrder("ERP-2", "101", [{ sku: "SKU-0001", quantity: "1" }]));
    erp.orders.set("ERP-3", erpOrder("ERP-3", "102", [{ sku: "SKU-0001", quantity: "2" }]));
    erp.orders.set("ERP-4", erpOrder("ERP-4", "102", [{ sku: "SKU-0001", quantity: "2" }]));
    erp.orders.set("ERP-5", erpOrder("ERP-5", "102", [{ sku: "SKU-0001", quantity: "2" }]));

    const check = checkOrders(oroOrders(["ERP-1", "ERP-3"]), { state: erp }, ordersOf(2), ["101", "102"]);

    expect(check).toEqual({ source: 2, good: 2, poison: 0, missing: [], wrong: [], poisonLanded: [], duplicateErpOrders: 3 });
  });

  it("names a missing order, wrong lines, a number not written back and a poison order that landed", () => {
    const erp = new ErpState();
    erp.orders.set("ERP-1", erpOrder("ERP-1", "101", [{ sku: "SKU-0001", quantity: "1" }]));
    erp.orders.set("ERP-2", erpOrder("ERP-2", "102", [{ sku: "SKU-0001", quantity: "3" }]));
    erp.orders.set("ERP-3", erpOrder("ERP-3", "103", [{ sku: "SKU-0001", quantity: "3" }]));
    erp.orders.set("ERP-5", erpOrder("ERP-5", "105", [{ sku: "SKU-0001", quantity: "5" }]));

    const check = checkOrders(oroOrders(["ERP-1", "ERP-2", undefined, undefined, undefined]), { state: erp }, ordersOf(5, [5]), [
      "101",
      "102",
      "103",
      "104",
      "105",
    ]);

    expect(check).toEqual({
      source: 5,
      good: 4,
      poison: 1,
      missing: ["CHK-O-4"],
      wrong: ["CHK-O-2: lines SKU-0001x3 (expected SKU-0001x2)", "CHK-O-3: Oro externalId undefined (ERP ERP-3)"],
      poisonLanded: ["CHK-O-5"],
      duplicateErpOrders: 0,
    });
  });
});

const dlqMessage = (body: unknown, reason?: { code: string; message: string }): Message => ({
  Body: typeof body === "string" ? body : JSON.stringify(body),
  ...(reason
    ? { MessageAttributes: { ErrorCode: { DataType: "String", StringValue: reason.code }, ErrorMessage: { DataType: "String", StringValue: reason.message } } }
    : {}),
});
const page = (skus: string[]) => ({
  type: "page",
  payload: { products: skus.map((sku) => ({ identifier: sku.toLowerCase(), values: { sku: [{ locale: null, scope: null, data: sku }] } })) },
});
const orderEvent = (id: string) => ({ topic: "order.created", eventData: { data: { type: "orders", id } } });

describe("Function: dlqSubject", () => {
  it("reads the SKUs of a page, the Oro id of a webhook or order message, and nothing of an unreadable body", () => {
    expect(dlqSubject("akeneo-products", dlqMessage(page(["A-1", "B-2"])))).toEqual({ type: "page", products: ["A-1", "B-2"] });
    // No identifier attribute value: the product is named by its uuid.
    expect(dlqSubject("akeneo-products", dlqMessage({ type: "page", payload: { products: [{ uuid: "u-1", values: {} }] } }))).toEqual({
      type: "page",
      products: ["u-1"],
    });
    expect(dlqSubject("oro-orders-to-erp", dlqMessage(orderEvent("77")))).toEqual({ type: "order.created", orderId: "77" });
    expect(dlqSubject("oro-orders-to-erp", dlqMessage({ type: "order", payload: { orderId: 78 } }))).toEqual({ type: "order", orderId: "78" });
    expect(dlqSubject("oro-orders-to-erp", dlqMessage("not json"))).toEqual({});
    expect(dlqSubject("akeneo-products", dlqMessage({ type: "window", payload: { from: "x" } }))).toEqual({ type: "window" });
  });
});

describe("Function: checkDlq", () => {
  it("counts poison records with and without their reason, extra copies, unexpected messages and codes", () => {
    const products = source(3, [2, 3]);
    const orders = ordersOf(2, [2]);
    const reason = { code: "VALIDATION", message: "unknown family" };
    const dlq = [
      { connector: "akeneo-products", message: dlqMessage(page(["CHK-00002"]), reason) },
      { connector: "akeneo-products", message: dlqMessage(page(["CHK-00002"]), reason) },
      { connector: "akeneo-products", message: dlqMessage(page(["CHK-00003"])) },
      { connector: "oro-orders-to-erp", message: dlqMessage(orderEvent("202"), { code: "ERP_VALIDATION", message: "lines[1].sku" }) },
      // A whole page with a good product in it, and a good order: data that should have landed.
      { connector: "akeneo-products", message: dlqMessage(page(["CHK-00001", "CHK-00002"]), reason) },
      { connector: "oro-orders-to-erp", message: dlqMessage(orderEvent("201")) },
    ];

    expect(checkDlq(dlq, products, orders, ["201", "202"])).toEqual({
      messages: 6,
      poisonWithReason: 2,
      poisonWithoutReason: ["CHK-00003"],
      extraCopies: 1,
      unexpected: ["akeneo-products: page 2 product(s) CHK-00001, CHK-00002 code VALIDATION", "oro-orders-to-erp: order.created 201 code none"],
      codes: { VALIDATION: 3, none: 2, ERP_VALIDATION: 1 },
    });
  });
});

describe("Function: checkAlerts", () => {
  it("counts poison records alerted once, alerted twice or not at all, and other alerts open or resolved", () => {
    const oro = oroState();
    const alert = (externalId: string | undefined, resolved: boolean, message = "m") =>
      oro.store.mustTable("notificationalerts").put({
        type: "notificationalerts",
        id: crypto.randomUUID(),
        attributes: { externalId: externalId ?? null, resolved, alertType: "sync", step: "page", message },
        relationships: {},
      });
    alert("CHK-00002", false);
    alert("CHK-O-2", false);
    alert("CHK-O-2", false);
    // A poison record whose only alert was resolved is not alerted.
    alert("CHK-00003", true);
    alert(undefined, true);
    alert(undefined, false, "Oro answered 503");

    expect(checkAlerts(oro, ["CHK-00002", "CHK-00003", "CHK-O-2"])).toEqual({
      total: 6,
      poisonAlerted: 2,
      poisonNotAlerted: ["CHK-00003"],
      poisonDuplicateAlerts: ["CHK-O-2 x2"],
      otherCreated: 2,
      otherResolved: 1,
      otherOpen: ["sync/page : Oro answered 503"],
    });
  });
});

describe("Chaos checker edges (mutation testing)", () => {
  it("reads the default name and the scalar values whatever their order, and a to-one names ref as a list of one", () => {
    const oro = oroState();
    const base = generateProduct(1, { prefix: "EDG-", families: ["default_family"] });
    // German first in Akeneo, the unit and sku with a localized value before the scalar one.
    const product: AkeneoProduct = {
      ...base,
      values: {
        ...base.values,
        name: [...(base.values.name ?? [])].reverse(),
        unit: [{ locale: "de_DE", scope: null, data: "KILOGRAM" }, ...(base.values.unit ?? [])],
        sku: [{ locale: "de_DE", scope: null, data: "EDG-LOCALIZED" }, ...(base.values.sku ?? [])],
      },
    };
    expect(sourceSku(product)).toBe("EDG-00001");
    // Landed as the scalar unit says (PIECE), not the localized value.
    const id = oro.land(product, { unit: "piece" });
    // The German name row first in Oro.
    const record = oro.store.mustTable("products").get(id);
    if (record) record.relationships.names = [...(record.relationships.names as Ref[])].reverse();
    // A second product whose names relationship is a single ref (the default name only).
    const other = generateProduct(2, { prefix: "EDG-", families: ["default_family"] });
    const otherId = oro.land(other);
    const otherRecord = oro.store.mustTable("products").get(otherId);
    if (otherRecord) otherRecord.relationships.names = (otherRecord.relationships.names as Ref[])[0] as Ref;
    // The German row of product 2 is now unreferenced: one duplicate row, named.

    const check = checkProducts(oro, [{ product }, { product: other }]);

    expect(check.wrong).toEqual([]);
    expect(check.missing).toEqual([]);
    expect(check.duplicateRowExamples).toEqual([expect.stringMatching(/^productnames \d+ of product 2 not referenced by it$/)]);
  });

  it("counts an unreferenced unit precision row, and names a precision without unit as ?", () => {
    const oro = oroState();
    const product = generateProduct(1, { prefix: "EDG-", families: ["default_family"] });
    const id = oro.land(product, { extraUnits: ["set"] });
    const precisions = oro.store.mustTable("productunitprecisions");
    const record = oro.store.mustTable("products").get(id) as { relationships: Record<string, Ref | Ref[] | null> };
    const [primary, extra] = record.relationships.unitPrecisions as Ref[];
    // The extra precision loses its unit; another precision row of the product is left unreferenced.
    const extraRow = precisions.get((extra as Ref).id);
    if (extraRow) extraRow.relationships.unit = null;
    const orphan = precisions.nextId();
    precisions.put({
      type: "productunitprecisions",
      id: orphan,
      attributes: {},
      relationships: { product: ref("products", id), unit: ref("productunits", "kg") },
    });
    record.relationships.unitPrecisions = [primary as Ref, extra as Ref, extra as Ref];

    const check = checkProducts(oro, [{ product }]);

    expect(check.duplicateRowExamples).toEqual([
      "EDG-00001: unit precisions piece,?,?",
      `productunitprecisions ${orphan} of product ${id} not referenced by it`,
    ]);
    expect(check.duplicateRows).toBe(2);
  });

  it("lists an order's lines in order and every problem of one order, and no poison order that stayed out", () => {
    const erp = new ErpState();
    const lines = [
      { sku: "SKU-0001", quantity: "2" },
      { sku: "SKU-0002", quantity: "1" },
    ];
    erp.orders.set("ERP-1", erpOrder("ERP-1", "101", lines));
    const source: SourceOrder[] = [
      {
        identifier: "EDG-O-1",
        lines: [
          { sku: "SKU-0001", quantity: 2 },
          { sku: "SKU-0002", quantity: 3 },
        ],
      },
      { identifier: "EDG-O-2", lines: [{ sku: "SKU-0009", quantity: 1 }], poison: "unknown-erp-item" },
    ];

    const check = checkOrders(oroOrders(["ERP-9", undefined]), { state: erp }, source, ["101", "102"]);

    expect(check.wrong).toEqual(["EDG-O-1: lines SKU-0001x2,SKU-0002x1 (expected SKU-0001x2,SKU-0002x3), Oro externalId ERP-9 (ERP ERP-1)"]);
    expect(check.poisonLanded).toEqual([]);
    expect([check.good, check.poison]).toEqual([1, 1]);
  });

  it("needs both ErrorCode and ErrorMessage for a reason, one copy with them is enough, and only poison records count", () => {
    const products = source(6, [2, 3]);
    const codeOnly: Message = { Body: JSON.stringify(page(["CHK-00003"])), MessageAttributes: { ErrorCode: { DataType: "String", StringValue: "X" } } };
    const reason = { code: "VALIDATION", message: "unknown family" };
    const dlq = [
      { connector: "akeneo-products", message: dlqMessage(page(["CHK-00002"])) },
      { connector: "akeneo-products", message: dlqMessage(page(["CHK-00002"]), reason) },
      { connector: "akeneo-products", message: codeOnly },
      // A good product's own page, and a page of four: data that should have landed.
      { connector: "akeneo-products", message: dlqMessage(page(["CHK-00001"]), reason) },
      { connector: "akeneo-products", message: dlqMessage(page(["CHK-00001", "CHK-00004", "CHK-00005", "CHK-00006"]), reason) },
      // Products in an orders connector's message are not read as products.
      { connector: "oro-orders-to-erp", message: dlqMessage(page(["CHK-00002"]), reason) },
      { connector: "akeneo-products", message: dlqMessage({ payload: {} }, reason) },
    ];

    const check = checkDlq(dlq, products, [], []);

    expect(check.poisonWithReason).toBe(1);
    expect(check.poisonWithoutReason).toEqual(["CHK-00003"]);
    expect(check.extraCopies).toBe(1);
    expect(check.unexpected).toEqual([
      "akeneo-products: page 1 product(s) CHK-00001 code VALIDATION",
      "akeneo-products: page 4 product(s) CHK-00001, CHK-00004, CHK-00005 code VALIDATION",
      "oro-orders-to-erp: page  code VALIDATION",
      "akeneo-products: ?  code VALIDATION",
    ]);
  });

  it("counts every other alert resolved or open, and cuts a long message to 160 characters", () => {
    const oro = oroState();
    const alert = (resolved: boolean, message: string) =>
      oro.store.mustTable("notificationalerts").put({
        type: "notificationalerts",
        id: crypto.randomUUID(),
        attributes: { externalId: null, itemId: 7, resolved, alertType: "auth", step: "token", message },
        relationships: {},
      });
    alert(true, "a");
    alert(true, "b");
    alert(false, "x".repeat(300));

    const check = checkAlerts(oro, []);

    expect([check.otherCreated, check.otherResolved]).toEqual([3, 2]);
    expect(check.otherOpen).toEqual([`auth/token 7: ${"x".repeat(160)}`]);
  });
});
