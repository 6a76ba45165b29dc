import { describe, expect, it } from "vitest";
import { alertMessage } from "../functions/notifier";
import { routeFor } from "../functions/webhook-ingress/config";
import { timestampProblem } from "../functions/webhook-ingress/replay";
import { signatureShapeProblem } from "../functions/webhook-ingress/signature";
import { coerce, compilePath, createExportConverter, createImportConverter, formatDecimal, MappingError } from "../shared/converters";
import type { ValueType } from "../shared/converters";
import { bodyExcerpt, redactText, safeUrl } from "../shared/http";
import { parseRetryAfter } from "../shared/http/retry";
import { DecimalStringSchema } from "../shared/integrations/erp/contract";
import { isNativeEnvelopeHeader, isOroWebhookHeader } from "../shared/messages";
import { redact, registerSecretValues } from "../shared/observability";
import { parseRecordBody } from "../shared/runtime";
import { loopConnector } from "./fixtures/failure-loop-connector";

/**
 * ReDoS guard (issue 15 point 2; docs/reference/security.md §2). One value from an upstream must
 * not stall a batch: every converter and parser that sees untrusted text is fed 1 MB values built
 * to make backtracking patterns explode, and the whole run must finish well under a second.
 * Before the fix, formatDecimal alone took about 150 s on 250,000 digits plus a letter.
 * The only timed test of the suite (the brief allows a generous ReDoS bound).
 */
const MB = 1_000_000;
const pathological: Record<string, string> = {
  digitsThenLetter: `${"1".repeat(MB)}x`,
  zerosThenLetter: `1.${"0".repeat(MB)}x`,
  trailingZeros: `${"0".repeat(MB)}1x`,
  dotsAndDigits: `${"1.".repeat(MB / 2)}x`,
  exponent: `1e${"1".repeat(MB)}x`,
  spaces: `${" ".repeat(MB)}x`,
  formPairs: `${"a=".repeat(MB / 2)}`,
  jsonFields: `${'"a":"'.repeat(MB / 5)}`,
  escapedJson: `${'\\"a\\":\\"'.repeat(MB / 8)}`,
  bearer: `Bearer ${"A".repeat(MB)}`,
  brackets: "[".repeat(MB),
  percent: "%".repeat(MB),
};

/** Per call: one converter or parser fed one 1 MB value. */
const BUDGET_MS = 1_000;

describe("ReDoS guard: 1 MB pathological values", () => {
  it("every converter and parser finishes each of them in well under a second", () => {
    registerSecretValues({ apiKey: "redos-api-key-0123456789" });
    const types: ValueType[] = ["string", "integer", "number", "decimal", "boolean", "datetime", "date"];
    const importer = createImportConverter({
      type: "products",
      externalId: "id",
      attributes: Object.fromEntries(types.map((type) => [type, { from: "value", type }])),
    });
    const exporter = createExportConverter({ externalId: "id", fields: Object.fromEntries(types.map((type) => [type, { from: "value", type }])) });
    const owner = { integration: "redos", connector: loopConnector.type };

    const outcomes: Record<string, number> = {};
    // The slowest single call per value: each converter or parser fed one 1 MB value.
    const slowest: Record<string, { call: string; ms: number }> = {};
    for (const [name, value] of Object.entries(pathological)) {
      let problems = 0;
      const worst = { call: "", ms: 0 };
      const timed = (call: string, run: () => unknown) => {
        const started = performance.now();
        let result: unknown;
        try {
          result = run();
        } catch (error) {
          result = error;
        }
        const ms = performance.now() - started;
        if (ms > worst.ms) Object.assign(worst, { call, ms: Math.round(ms) });
        return result;
      };
      // Converters: each value type, and whole records through both converters.
      if (!(timed("formatDecimal", () => formatDecimal(value)) as { ok: boolean }).ok) problems++;
      if (!(timed("formatDecimal(2)", () => formatDecimal(value, 2)) as { ok: boolean }).ok) problems++;
      for (const type of types) if (!(timed(`coerce ${type}`, () => coerce(value, type)) as { ok: boolean }).ok) problems++;
      if (timed("import converter", () => importer.convert({ id: "r1", value })) instanceof MappingError) problems++;
      if (timed("export converter", () => exporter.convert({ type: "orders", id: "1", attributes: { value } }, [])) instanceof MappingError) problems++;
      if (timed("compilePath", () => compilePath(value)) instanceof Error) problems++;
      // Parsers of bodies, headers and upstream answers.
      timed("parseRecordBody", () => parseRecordBody(value, loopConnector, owner));
      timed("parseRecordBody(id)", () =>
        parseRecordBody(
          JSON.stringify({ version: 1, id: value, integration: "redos", connector: loopConnector.type, type: "sync", payload: {} }),
          loopConnector,
          owner,
        ),
      );
      timed("isNativeEnvelopeHeader", () => isNativeEnvelopeHeader({ version: 1, id: value, integration: value, connector: value, type: value, payload: {} }));
      timed("isOroWebhookHeader", () => isOroWebhookHeader({ topic: value, timestamp: value, messageId: value, eventData: {} }));
      timed("timestampProblem", () => timestampProblem(value, Date.now(), { maxAgeSeconds: 86_400, maxFutureSeconds: 300 }));
      timed("signatureShapeProblem", () => signatureShapeProblem(value, value));
      timed("routeFor", () => routeFor({ "order.updated": "https://sqs.local/q" }, value));
      timed("parseRetryAfter", () => parseRetryAfter(value));
      timed("DecimalStringSchema", () => DecimalStringSchema.safeParse(value));
      // Redaction and excerpts of upstream bodies, and the notifier's alert text.
      timed("redactText", () => redactText(value, ["redos-api-key-0123456789"]));
      timed("bodyExcerpt", () => bodyExcerpt(value, 300));
      timed("safeUrl", () => safeUrl(`https://example.com/?q=${value}`));
      timed("redact", () => redact(value));
      timed("alertMessage", () => alertMessage({ count: 1, firstSeenAt: "2026-01-01T00:00:00Z", lastSeenAt: "2026-01-01T00:00:00Z", latest: failure(value) }));
      outcomes[name] = problems;
      slowest[name] = worst;
    }

    // Each value is a problem for the decimal coercions at least: it was judged, not skipped.
    for (const [name, problems] of Object.entries(outcomes)) expect(problems, name).toBeGreaterThanOrEqual(2);
    // Every converter and parser, fed each 1 MB value, well under a second (linear: tens of ms
    // alone; the bound is generous for a loaded CI machine, a quadratic pattern takes minutes).
    for (const [name, { call, ms }] of Object.entries(slowest)) expect(ms, `${call} took ${ms} ms on ${name}`).toBeLessThan(BUDGET_MS);
  });

  it("quotes at most 60 characters of a bad value in a problem text", () => {
    const result = formatDecimal(pathological.digitsThenLetter);
    expect(result).toEqual({ ok: false, problem: `"${"1".repeat(60)}…" (${MB + 1} characters) is not a decimal number (longer than 100 characters)` });
    expect(coerce(`${"x".repeat(70)}`, "integer")).toEqual({ ok: false, problem: `"${"x".repeat(60)}…" (70 characters) is not an integer` });
  });

  it("still formats decimals as before: signs, exponents, trailing zeros, precision", () => {
    const cases: Array<[unknown, number | undefined, string]> = [
      ["1.5000", undefined, "1.5"],
      ["+2.50", undefined, "2.5"],
      ["-0.000", undefined, "0"],
      [".5", undefined, "0.5"],
      ["-.5", undefined, "-0.5"],
      ["1e3", undefined, "1000"],
      ["10", undefined, "10"],
      ["100.0", undefined, "100"],
      [2.345, 2, "2.35"],
      ["3", 2, "3"],
      [`1.${"0".repeat(90)}1`, undefined, `1.${"0".repeat(90)}1`],
    ];
    for (const [value, precision, out] of cases) expect(formatDecimal(value, precision), String(value)).toEqual({ ok: true, value: out });
    for (const bad of ["1.2.3", "1e", "e5", "--1", "", " ", "0x10", "1_000"]) expect(formatDecimal(bad).ok, bad).toBe(false);
  });
});

const failure = (message: string) => ({
  version: 1 as const,
  kind: "failure" as const,
  integration: "redos",
  entity: "products",
  operation: "import" as const,
  step: "sync",
  connector: "loop-products",
  code: "MAPPING",
  message,
  attempts: 1,
  disposition: "permanent" as const,
  alertType: "mapping",
  dlq: "redos-dlq",
  occurredAt: "2026-01-01T00:00:00Z",
});
