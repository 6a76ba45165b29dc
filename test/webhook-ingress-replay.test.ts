import type { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { IngressMetric, receiveWebhook, signBody } from "../functions/webhook-ingress";
import { ReloadGate } from "../functions/webhook-ingress/reload-gate";
import { keepSeconds, replayKey, timestampProblem } from "../functions/webhook-ingress/replay";
import { createMetrics, InvocationMetrics } from "../shared/observability";
import { functionUrlEvent } from "./helpers/function-url";

/**
 * The replay window and the bounded secret reload with exact values (functions/webhook-ingress/
 * replay.ts, reload-gate.ts and their use in receive.ts; issue 16, mutation testing): the window's
 * edges to the second, every refusal's wording, and the Retry-After of a deferred mismatch.
 */
const NOW_MS = 1_000_000_000_000;
const window = { maxAgeSeconds: 600, maxFutureSeconds: 60 };

describe("Function: timestampProblem", () => {
  it("accepts the window's edges and refuses one second beyond, with the age and the setting to change", () => {
    expect(timestampProblem(1_000_000_000 - 600, NOW_MS, window)).toBeUndefined();
    expect(timestampProblem(1_000_000_000 + 60, NOW_MS, window)).toBeUndefined();
    expect(timestampProblem(1_000_000_000 - 601, NOW_MS, window)).toBe(
      "timestamp 999999399 is 601 s old, older than the 600 s window: refused as a replay (set webhook.replayWindowSeconds to allow older deliveries)",
    );
    expect(timestampProblem(1_000_000_000 + 61, NOW_MS, window)).toBe("timestamp 1000000061 is 61 s in the future, beyond the 60 s allowed for clock skew");
  });

  it("reads a numeric string (blanks around it too), and refuses an empty, blank or non-numeric one quoting at most 40 characters", () => {
    expect(timestampProblem(" 1000000000 ", NOW_MS, window)).toBeUndefined();
    expect(timestampProblem("", NOW_MS, window)).toBe('timestamp "" is not epoch seconds');
    expect(timestampProblem("   ", NOW_MS, window)).toBe('timestamp "   " is not epoch seconds');
    expect(timestampProblem(`yesterday ${"x".repeat(60)}`, NOW_MS, window)).toBe(
      `timestamp ${JSON.stringify(`yesterday ${"x".repeat(30)}`)} is not epoch seconds`,
    );
    expect(timestampProblem("Infinity", NOW_MS, window)).toBe('timestamp "Infinity" is not epoch seconds');
  });

  it("keys a delivery by messageId and topic, and remembers it for the window plus an hour", () => {
    expect(replayKey({ topic: "order.created", timestamp: 1, messageId: "m-9", eventData: {} })).toEqual({ pk: "webhook#m-9", sk: "topic#order.created" });
    expect(keepSeconds(window)).toBe(600 + 60 + 3_600);
  });
});

describe("Function: ReloadGate", () => {
  it("allows one reload per interval, says how long to wait, and lets concurrent callers join the one in flight", async () => {
    let now = 5_000;
    const gate = new ReloadGate(30_000, () => now);
    expect(gate.waitMs()).toBe(0);
    let runs = 0;
    let finish: () => void = () => undefined;
    const first = gate.reload(() => new Promise<void>((resolve) => ((runs += 1), (finish = resolve))));
    const joined = gate.reload(async () => void (runs += 100));
    finish();
    expect(await Promise.all([first, joined])).toEqual([true, true]);
    expect(runs).toBe(1);
    now += 100;
    expect(gate.waitMs()).toBe(29_900);
    expect(await gate.reload(async () => void (runs += 1))).toBe(false);
    now += 29_900;
    expect(gate.waitMs()).toBe(0);
    expect(await gate.reload(async () => void (runs += 1))).toBe(true);
    expect(runs).toBe(2);
  });
});

describe("receiveWebhook: a mismatch right after a reload", () => {
  it("answers 503 with Retry-After in whole seconds (at least 1) until the gate reopens, then 401", async () => {
    const SECRET = "whsec-replay-0123456789abcdef";
    let now = 1_000_000;
    const lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> = [];
    const log =
      (level: string) =>
      (message: string, extra: Record<string, unknown> = {}) =>
        void lines.push({ level, message, extra });
    const metrics = new InvocationMetrics(createMetrics({ serviceName: "ingress-replay" }));
    let forced = 0;
    const deps = {
      config: {
        secretName: "s",
        maxAgeSeconds: 86_400,
        maxFutureSeconds: 300,
        secretReloadSeconds: 30,
        routes: { "order.created": "https://sqs.eu-west-1.amazonaws.com/123456789012/oro-orders" },
        syncRoutes: {},
        maxBodyBytes: 10_000,
      },
      sqs: () => ({ send: async () => undefined }) as unknown as SQSClient,
      secret: async (options?: { forceRefresh?: boolean }) => ((forced += options?.forceRefresh ? 1 : 0), { secret: SECRET }),
      logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
      metrics,
      reloadGate: new ReloadGate(30_000, () => now),
      now: () => 1_764_187_200_000,
    };
    const body = JSON.stringify({ topic: "order.created", timestamp: 1_764_187_200, messageId: "m-1", eventData: {} });
    const wrong = () =>
      receiveWebhook(functionUrlEvent(body, { "webhook-signature": signBody(body, "whsec-a-wrong-guess-000000"), "webhook-id": "wh-1" }), deps);

    expect((await wrong()).statusCode).toBe(401);
    expect(forced).toBe(1);
    now += 100;
    const soon = await wrong();
    expect([soon.statusCode, soon.headers, soon.body]).toEqual([
      503,
      { "content-type": "application/json", "retry-after": "30" },
      JSON.stringify({ error: "temporarily unavailable" }),
    ]);
    now += 29_500;
    expect((await wrong()).headers?.["retry-after"]).toBe("1");
    expect(lines.slice(1).map((l) => [l.level, l.message, l.extra.retryAfterSeconds])).toEqual([
      ["warn", "webhook signature does not match the secret loaded moments ago: answering 503 until a reload is allowed", 30],
      ["warn", "webhook signature does not match the secret loaded moments ago: answering 503 until a reload is allowed", 1],
    ]);
    expect([metrics.get(IngressMetric.signatureDeferred), metrics.get(IngressMetric.unauthorized)]).toEqual([2, 1]);
    now += 400;
    expect((await wrong()).statusCode).toBe(401);
    expect(forced).toBe(2);
  });
});
