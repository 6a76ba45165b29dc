import * as z from "zod/mini";
import { describe, expect, it } from "vitest";
import { NativeEnvelopeHeaderSchema, OroWebhookHeaderSchema, isNativeEnvelopeHeader, isOroWebhookHeader } from "../../shared/messages";

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const strings = [
  "",
  "a",
  "akeneo-main",
  "Oro.Products:v2",
  "-leading-dash",
  "with space",
  "ünïcode",
  "x".repeat(128),
  "x".repeat(129),
  "y".repeat(512),
  "y".repeat(513),
  "2026-11-26T20:00:00Z",
  "__proto__",
];
const values = [...strings, 0, 1, 2, 1.5, -1, null, true, false, [], [1], {}, { a: 1 }, undefined];

const mutate = (base: Record<string, unknown>, random: () => number): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...base };
  const keys = Object.keys(base);
  const changes = 1 + Math.floor(random() * 2);
  for (let i = 0; i < changes; i++) {
    const key = keys[Math.floor(random() * keys.length)] as string;
    const value = values[Math.floor(random() * values.length)];
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
};

describe("Fast envelope header checks", () => {
  it.each([
    [
      "native envelope",
      {
        version: 1,
        id: "e-1",
        integration: "main",
        connector: "akeneo-products",
        type: "window",
        createdAt: "2026-11-26T20:00:00Z",
        correlationId: "c",
        payload: { a: 1 },
      },
      NativeEnvelopeHeaderSchema,
      isNativeEnvelopeHeader,
    ],
    [
      "Oro webhook body",
      { topic: "order.created", timestamp: 1741267200, messageId: "m-1", eventData: { data: {} } },
      OroWebhookHeaderSchema,
      isOroWebhookHeader,
    ],
  ] as const)("accept exactly what the zod schema accepts for the %s (5,000 generated inputs)", (_name, base, schema, check) => {
    const random = prng(42);
    let accepted = 0;
    for (let i = 0; i < 5_000; i++) {
      const input = i === 0 ? { ...base } : mutate(base, random);
      const expected = z.safeParse(schema as z.ZodMiniType, input).success;
      expect({ input, accepted: check(input) }).toEqual({ input, accepted: expected });
      if (expected) accepted++;
    }
    // Both outcomes were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(4_900);
  });
});
