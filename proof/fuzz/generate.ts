import type { Random } from "../common/random";
import { SQS_MAX_MESSAGE_BYTES, SQS_OLD_MAX_MESSAGE_BYTES } from "../common/sqs";

/**
 * The fuzz corpus: bad bodies of every kind mixed into good traffic, from a seed. Every bad body
 * is bad for a reason the runtime must turn into a DLQ message with a reason (never a crash, a
 * retry loop or a silent success); every good body must be processed exactly once.
 */
export interface FuzzCase {
  kind: "bad" | "good";
  category: string;
  variant: string;
  body: string;
  /** Envelope id (good cases: the key their processing is counted by). */
  id?: string;
}

/** What the generator needs to know about the target connector. */
export interface FuzzTarget {
  integration: string;
  connector: string;
  /** A message type and payload the connector processes successfully. */
  good(random: Random, index: number): { type: string; payload: Record<string, unknown> };
  /** Payloads its schema rejects, by message type. */
  schemaInvalid: readonly { type: string; payload: unknown }[];
  /** Valid messages whose items the connector refuses one by one (item-level failures). */
  badItems: readonly Record<string, unknown>[];
  /** A message type the connector accepts (to build bodies that only differ in one way). */
  someType: string;
  /** Another real connector, for the wrong-queue case. */
  otherConnector: string;
}

/** erp-stock against the Oro sandbox's demo catalog (SKU-0001..0030, unit `each`). */
export const erpStockTarget = (integration = "erp-main"): FuzzTarget => {
  const level = (extra: Record<string, unknown>) => ({ levels: [{ sku: "SKU-0001", unit: "each", quantity: "5", ...extra }] });
  return {
    integration,
    connector: "erp-stock",
    someType: "stock.changed",
    otherConnector: "akeneo-products",
    good: (random, index) => {
      const levels = Array.from({ length: random.int(1, 3) }, (_, n) => ({
        sku: `SKU-${String(random.int(1, 30)).padStart(4, "0")}`,
        unit: "each",
        quantity: String((index * 7 + n) % 1000),
      }));
      // Some good traffic carries harmless extras: unknown keys (stripped), prototype-named keys, unicode.
      const extra = random.pick([
        {},
        {},
        {},
        { note: "ünïcödé \u202Eltr \u2603 \u0000 \u05d0" },
        { __proto__x: 1, constructor_: "x" },
        JSON.parse('{"__proto__": {"polluted": "good"}, "constructor": {"prototype": {"polluted": "good"}}}') as object,
      ]);
      return { type: "stock.changed", payload: { levels, ...extra } };
    },
    schemaInvalid: [
      { type: "stock.changed", payload: {} },
      { type: "stock.changed", payload: { levels: [] } },
      { type: "stock.changed", payload: { levels: "SKU-0001" } },
      { type: "stock.changed", payload: { levels: null } },
      { type: "stock.changed", payload: { levels: { 0: level({}).levels[0] } } },
      { type: "stock.changed", payload: { levels: Array.from({ length: 501 }, () => level({}).levels[0]) } },
      { type: "page", payload: { from: 1, to: 2, cursor: "c", page: 1 } },
      { type: "page", payload: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", cursor: "", page: 1 } },
      { type: "page", payload: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", cursor: "c", page: 0 } },
      { type: "page", payload: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", cursor: "c", page: 1.5 } },
      { type: "page", payload: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", cursor: "c", page: "1" } },
      { type: "window", payload: { scheduledTime: 17 } },
      { type: "window", payload: { from: ["2026"], to: {} } },
    ],
    badItems: [
      level({ sku: "NOPE-0001" }),
      level({ sku: "SKU-0001,SKU-0002" }),
      level({ quantity: "abc" }),
      level({ quantity: {} }),
      level({ quantity: undefined }),
      level({ unit: "crate" }),
      level({ sku: 1234 }),
      level({ sku: "" }),
      { levels: [null] },
      { levels: ["SKU-0001"] },
      { levels: [[]] },
      { levels: [42] },
    ],
  };
};

const MAX = SQS_MAX_MESSAGE_BYTES;
const OLD_MAX = SQS_OLD_MAX_MESSAGE_BYTES;

type Maker = (random: Random, index: number) => { variant: string; body: string };

const envelope = (t: FuzzTarget, fields: Record<string, unknown>): Record<string, unknown> => ({
  version: 1,
  id: "",
  integration: t.integration,
  connector: t.connector,
  type: t.someType,
  payload: {},
  ...fields,
});
const json = (value: unknown) => JSON.stringify(value);
/** Nested `[[...]]` (or `{"a":{...}}`) `depth` levels deep, as JSON text. */
const deepArray = (depth: number, inner = "0") => "[".repeat(depth) + inner + "]".repeat(depth);
const deepObject = (depth: number, key = "a") => `{"${key}":`.repeat(depth) + "0" + "}".repeat(depth);
/** Replaces the JSON value `"@@"` in `text` with raw JSON (for bodies JSON.stringify cannot make). */
const splice = (text: string, raw: string) => text.replace('"@@"', raw);

/** The bad categories drawn round-robin (so every one is represented even in a small run). */
export const badCategories = (t: FuzzTarget): Record<string, Maker[]> => {
  const id = (i: number, tag = "") => `fuzz-${i}${tag}`;
  const env = (i: number, fields: Record<string, unknown>) => envelope(t, { id: id(i), ...fields });
  const v = (variant: string, body: string) => ({ variant, body });
  return {
    "not-json": [
      (r, i) => v("text", `not json ${i} ${r.int(0, 1e9)}`),
      (_, i) => v("js-literal", `{version:1,id:'fuzz-${i}'}`),
      (_, i) => v("single-quotes", `{'version':1,'id':'fuzz-${i}'}`),
      (_, i) => v("trailing-comma", `{"version":1,"id":"fuzz-${i}",}`),
      (_, i) => v("NaN", `NaN // ${i}`),
      (_, i) => v("xml", `<envelope id="${i}"/>`),
      (_, i) => v("whitespace", `\t \n \r ${" ".repeat(i % 50)}`),
      (_, i) => v("comment", `// ${i}\n{}`),
      (_, i) => v("undefined", `undefined ${i}`),
      (_, i) => v("two-documents", `{"id":"${i}"} {"id":"${i}"}`),
      () => v("empty", ""),
    ],
    truncated: [
      (r, i) => {
        const full = json(env(i, { type: t.someType, payload: t.good(r, i).payload }));
        return v("cut", full.slice(0, r.int(1, full.length - 1)));
      },
      (_, i) => v("unterminated-string", `{"version":1,"id":"fuzz-${i}`),
      (_, i) => v("open-brace", `{"version":1,"id":"fuzz-${i}",`),
    ],
    "wrong-types": [
      (r, i) => v("version", json(env(i, { version: r.pick(["1", true, [1], null, 2, 0, -1, {}] as const) }))),
      (r, i) => v("id", json(env(i, { id: r.pick([123, "", null, {}, [], "x".repeat(513)] as const) }))),
      (r, i) => v("integration", json(env(i, { integration: r.pick([5, "", "has space", "x".repeat(129), null, ["erp-main"]] as const) }))),
      (r, i) => v("connector", json(env(i, { connector: r.pick([[], 7, "", "-lead"] as const) }))),
      (r, i) => v("type", json(env(i, { type: r.pick([{}, "", 3, "with space", "a/b"] as const) }))),
      (r, i) => v("payload", json(env(i, { payload: r.pick([[], "str", null, 5, true] as const) }))),
      (r, i) => v("createdAt", json(env(i, { createdAt: r.pick([5, "", null] as const) }))),
      (r, i) => v("correlationId", json(env(i, { correlationId: r.pick([5, "x".repeat(513), {}] as const) }))),
      (r, i) => v("top-level", r.pick([json([env(i, {})]), json(`fuzz-${i}`), String(i), "null", "true", "false"])),
    ],
    "missing-fields": [
      (r, i) => {
        const e = env(i, {});
        const fields = ["version", "id", "integration", "connector", "type", "payload"];
        const drop = r.shuffle([...fields]).slice(0, r.int(1, fields.length));
        for (const f of drop) delete e[f];
        return v(`without-${drop.length}`, json(e));
      },
      () => v("empty-object", "{}"),
      (_, i) => v("webhook-partial", json({ topic: "order.created", messageId: `fuzz-${i}` })),
    ],
    "unknown-type": [
      (r, i) =>
        v(
          "native",
          json(
            env(i, {
              type: r.pick(["nope", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "STOCK.CHANGED", "window.x", "isPrototypeOf"]),
            }),
          ),
        ),
      (r, i) =>
        v(
          "webhook-topic",
          json({
            topic: r.pick(["order.created", "__proto__", "constructor", "prototype", "toString", "x".repeat(255), "\u202Eredro"]),
            timestamp: 1_700_000_000 + i,
            messageId: `fuzz-${i}`,
            eventData: { data: { id: String(i) } },
          }),
        ),
    ],
    "unknown-connector": [(r, i) => v("native", json(env(i, { connector: r.pick(["nope", t.otherConnector, "notifier", "constructor", "ERP-STOCK"]) })))],
    "wrong-integration": [
      (r, i) => v("native", json(env(i, { integration: r.pick(["other", `${t.integration}2`, t.integration.toUpperCase(), "akeneo-main", "constructor"]) }))),
    ],
    "schema-invalid": [
      (r, i) => {
        const pick = r.pick(t.schemaInvalid);
        return v(pick.type, json(env(i, { type: pick.type, payload: pick.payload })));
      },
    ],
    "bad-items": [
      (r, i) => {
        const pick = r.pick(t.badItems);
        return v(`item-${t.badItems.indexOf(pick)}`, json(env(i, { type: t.someType, payload: pick })));
      },
    ],
    "deep-nesting": [
      (_, i) => v("payload-array-10k", splice(json(env(i, { type: "nope", payload: { deep: "@@" } })), deepArray(10_000))),
      (_, i) => v("payload-object-10k", splice(json(env(i, { type: "nope", payload: { deep: "@@" } })), deepObject(10_000))),
      (_, i) => v("level-array-10k", splice(json(env(i, { type: t.someType, payload: { levels: ["@@"] } })), deepArray(10_000))),
      (_, i) => v("level-object-10k", splice(json(env(i, { type: t.someType, payload: { levels: ["@@"] } })), deepObject(10_000, "sku"))),
      (_, i) => v("top-level-10k", deepArray(10_000, json(`fuzz-${i}`))),
      (_, i) => v("unclosed-10k", "[".repeat(10_000) + `"fuzz-${i}"`),
      (_, i) =>
        v("webhook-eventData-10k", splice(json({ topic: "nope.topic", timestamp: 1, messageId: `fuzz-${i}`, eventData: { d: "@@" } }), deepObject(10_000))),
    ],
    unicode: [
      (r, i) => v("escaped-lone-surrogate-id", splice(json(env(i, { type: "nope", id: "@@" })), `"\\ud800-fuzz-${i}-\\udfff"`)),
      (r, i) =>
        v(
          "escaped-lone-surrogate-topic",
          splice(json({ topic: "@@", timestamp: 1, messageId: `fuzz-${i}`, eventData: {} }), `"\\udbff${r.pick(["", "x", "\\ud800"])}"`),
        ),
      (_, i) =>
        v(
          "escaped-lone-surrogate-sku",
          splice(json(env(i, { type: t.someType, payload: { levels: [{ sku: "@@", unit: "each", quantity: "1" }] } })), `"SKU-\\ud83d"`),
        ),
      (_, i) => v("escaped-nul-id", splice(json(env(i, { type: "nope", id: "@@" })), `"fuzz-${i}\\u0000\\u0001\\u001f"`)),
      (_, i) =>
        v("escaped-nul-sku", splice(json(env(i, { type: t.someType, payload: { levels: [{ sku: "@@", unit: "each", quantity: "1" }] } })), `"NUL\\u0000SKU"`)),
      (_, i) => v("rtl-id", json(env(i, { type: "nope", id: `fuzz-${i}-\u202Egnp.exe\u202C-\u200F\u0627\u0644\u200E` }))),
      (_, i) => v("rtl-type", json(env(i, { type: "\u202Eegnahc.kcots" }))),
      (_, i) => v("escaped-emoji-id", splice(json(env(i, { type: "nope", id: "@@" })), `"fuzz-${i}-\\ud83d\\ude00"`)),
      (_, i) => v("overlong-looking", json(env(i, { type: "nope", id: `fuzz-${i}-\u00c0\u00af\u00c0\u0080%C0%AF\u00e0\u0080\u00af` }))),
      (_, i) => v("noncharacter-escaped", splice(json(env(i, { type: "nope", id: "@@" })), `"fuzz-${i}-\\uffff\\ufffe"`)),
      (_, i) => v("zero-width", json(env(i, { type: "nope", id: `fuzz-${i}\u200B\u200D\uFEFF` }))),
      (_, i) => v("combining", json(env(i, { type: "nope", id: `fuzz-${i}-e\u0301\u0301\u0301\u0301` }))),
      (_, i) => v("unicode-in-not-json", `\u00ab\u202e fuzz ${i} \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \uFFFD`),
      // Raw characters SQS refuses in a body: they cannot enter the queue.
      (_, i) => v("raw-lone-surrogate", json(env(i, { type: "nope", id: `fuzz-${i}-\ud800` }))),
      (_, i) => v("raw-nul", json(env(i, { type: "nope", id: `fuzz-${i}-\u0000` }))),
      (_, i) => v("raw-noncharacter", `fuzz ${i} \uFFFE`),
      // Valid for AWS SQS (#x10000-#x10FFFF); fauxqs 2.x refuses it.
      (_, i) => v("raw-emoji", `😀 not json ${i}`),
    ],
    "proto-keys": [
      (_, i) => v("top-level", json(env(i, { type: "nope" })).replace(/^\{/, `{"__proto__":{"polluted":"fuzz-${i}","version":1},`)),
      (r, i) => {
        // __proto__ / constructor / prototype at every level of the payload.
        let inner = `{"polluted":"fuzz-${i}"}`;
        for (let d = 0; d < 6; d++) inner = `{"__proto__":${inner},"constructor":{"prototype":${inner}},"prototype":${inner},"x":${inner}}`;
        return v("every-level", splice(json(env(i, { type: r.pick(["nope", t.someType]), payload: "@@" })), inner));
      },
      (_, i) =>
        v(
          "level-proto",
          `{"version":1,"id":"fuzz-${i}","integration":"${t.integration}","connector":"${t.connector}","type":"${t.someType}","payload":{"levels":[{"__proto__":{"sku":"SKU-0001","unit":"each","quantity":"1"}}]}}`,
        ),
      (_, i) =>
        v(
          "envelope-in-proto",
          `{"__proto__":{"version":1,"id":"fuzz-${i}","integration":"${t.integration}","connector":"${t.connector}","type":"${t.someType}","payload":{}}}`,
        ),
      (_, i) =>
        v(
          "constructor-prototype",
          `{"constructor":{"prototype":{"polluted":"fuzz-${i}"}},"version":1,"id":"fuzz-${i}","integration":"${t.integration}","connector":"${t.connector}","type":"constructor","payload":{"__proto__":{"levels":[]}}}`,
        ),
      (_, i) => v("webhook-proto", `{"topic":"__proto__","timestamp":1,"messageId":"fuzz-${i}","eventData":{"__proto__":{"polluted":"fuzz-${i}"}}}`),
    ],
    "huge-numbers": [
      (r, i) =>
        v(
          "version",
          splice(json(env(i, { version: "@@" })), r.pick(["1e400", "-1e400", "1.0000000000000002", "9007199254740993", "1e-400000", "0.9999999999999999"])),
        ),
      (r, i) =>
        v(
          "page",
          splice(
            json(env(i, { type: "page", payload: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", cursor: "c", page: "@@" } })),
            r.pick(["1e400", "-0", "123456789012345678901234567890.5", "0.5"]),
          ),
        ),
      (r, i) =>
        v(
          "quantity",
          splice(json(env(i, { type: t.someType, payload: { levels: [{ sku: "SKU-0001", unit: "each", quantity: "@@" }] } })), r.pick(["1e400", "-1e400"])),
        ),
      (r, i) =>
        v(
          "webhook-timestamp",
          splice(
            json({ topic: "nope.topic", timestamp: "@@", messageId: `fuzz-${i}`, eventData: {} }),
            r.pick(["1e20", "1e400", "-1e20", '"1e20"', '"-8.64e13"', "8.64e12"]),
          ),
        ),
      (_, i) => v("id-number", json(env(i, { id: 1e21 + i }))),
    ],
    "duplicate-keys": [
      (_, i) => v("version", json(env(i, {})).replace('"version":1', '"version":1,"version":2')),
      (_, i) => v("type", json(env(i, { type: t.someType })).replace(`"type":"${t.someType}"`, `"type":"${t.someType}","type":"nope"`)),
      (r, i) => v("payload", json(env(i, { payload: t.good(r, i).payload })).replace(/}$/, ',"payload":[]}')),
      (_, i) => v("integration", json(env(i, {})).replace(`"integration":"${t.integration}"`, `"integration":"${t.integration}","integration":"other"`)),
    ],
    bom: [
      (r, i) => v("utf8-bom-envelope", `\uFEFF${json(env(i, { type: t.someType, payload: t.good(r, i).payload }))}`),
      (r, i) => v("latin1-bom-bytes", `\u00EF\u00BB\u00BF${json(env(i, { type: t.someType, payload: t.good(r, i).payload }))}`),
      (_, i) => v("bom-only", `\uFEFF${" ".repeat(i % 3)}`),
    ],
    "webhook-shape": [
      (r, i) =>
        v(
          "bad-field",
          json({
            topic: "order.created",
            timestamp: 1,
            messageId: `fuzz-${i}`,
            eventData: {},
            ...r.pick([
              { eventData: [] },
              { messageId: "" },
              { topic: "" },
              { timestamp: {} },
              { topic: "x".repeat(256) },
              { eventData: null },
              { messageId: 5 },
            ]),
          }),
        ),
    ],
  };
};

/** Bodies around the size limits, once per run (each is up to 1 MiB). */
export const sizeCases = (t: FuzzTarget, base: number): FuzzCase[] => {
  const exact = (variant: string, bytes: number, index: number, jsonBody: boolean): FuzzCase => {
    let body: string;
    if (jsonBody) {
      const head = JSON.stringify(envelope(t, { id: `fuzz-size-${index}`, type: "oversize", payload: { pad: "" } }));
      body = head.replace('"pad":""', `"pad":"${"x".repeat(Math.max(0, bytes - Buffer.byteLength(head)))}"`);
    } else body = `not json ${index} `.padEnd(bytes, "z");
    return { kind: "bad", category: "size", variant, body };
  };
  const targets: [string, number][] = [
    ["256KiB-1", OLD_MAX - 1],
    ["256KiB", OLD_MAX],
    ["256KiB+1", OLD_MAX + 1],
    ["1MiB-4096", MAX - 4096],
    ["1MiB-256", MAX - 256],
    ["1MiB-64", MAX - 64],
    ["1MiB", MAX],
    ["1MiB+1", MAX + 1],
    ["1MiB+4096", MAX + 4096],
  ];
  const cases: FuzzCase[] = [];
  targets.forEach(([name, bytes], n) => {
    cases.push(exact(`json-${name}`, bytes, base + 2 * n, true));
    cases.push(exact(`text-${name}`, bytes, base + 2 * n + 1, false));
  });
  // The deepest nesting that fits: ~500k levels.
  cases.push({ kind: "bad", category: "deep-nesting", variant: "top-level-max", body: deepArray(Math.floor((MAX - 16) / 2)) });
  cases.push({
    kind: "bad",
    category: "deep-nesting",
    variant: "level-array-100k",
    body: splice(JSON.stringify(envelope(t, { id: `fuzz-deep-${base}`, payload: { levels: ["@@"] } })), deepArray(100_000)),
  });
  return cases;
};

export interface GenerateOptions {
  bad: number;
  good: number;
  /** Include the once-per-run size and extreme-depth bodies (up to 1 MiB each). @default true */
  sizeCases?: boolean;
}

/** The run's cases, shuffled: `bad` bad bodies (round-robin over the categories) and `good` good ones. */
export const generateCases = (random: Random, target: FuzzTarget, options: GenerateOptions): FuzzCase[] => {
  const categories = Object.entries(badCategories(target));
  const cases: FuzzCase[] = [];
  const fixed = options.sizeCases === false ? [] : sizeCases(target, options.bad + options.good);
  cases.push(...fixed);
  for (let i = 0; i < options.bad - fixed.length; i++) {
    const [category, makers] = categories[i % categories.length] as [string, Maker[]];
    const made = random.pick(makers)(random, i);
    cases.push({ kind: "bad", category, variant: made.variant, body: made.body });
  }
  for (let g = 0; g < options.good; g++) {
    const id = `good-${g}`;
    const { type, payload } = target.good(random, g);
    cases.push({
      kind: "good",
      category: "good",
      variant: type,
      id,
      body: JSON.stringify({ version: 1, id, integration: target.integration, connector: target.connector, type, payload }),
    });
  }
  return random.shuffle(cases);
};
