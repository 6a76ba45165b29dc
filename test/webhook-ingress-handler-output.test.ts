import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngressHandler, IngressEnv, signBody } from "../functions/webhook-ingress";
import { lambdaContext } from "../local-stack/event-source";
import { functionUrlEvent } from "./helpers/function-url";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * What the ingress Lambda (functions/webhook-ingress/create-handler.ts) itself adds around
 * receiveWebhook, seen from outside: its log lines and its one EMF document per invocation under
 * the service name "webhook-ingress", and the error line and metric of an unplanned failure.
 * Real handler against fauxqs and the local Secrets Manager.
 */
const SECRET = "whsec-output-0123456789abcdef";

let aws: LocalAws;
let orders: string;

beforeAll(async () => {
  aws = await startLocalAws();
  orders = await aws.createQueue("oro-orders-output");
  aws.secrets.put("oro/webhook-output", { secret: SECRET });
});

afterAll(async () => {
  await aws?.stop();
});

/** Runs `work` with log level INFO and metrics enabled, and returns what it wrote to stdout and stderr as JSON lines. */
const captureOutput = async (work: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> => {
  const saved = { level: process.env.POWERTOOLS_LOG_LEVEL, metrics: process.env.POWERTOOLS_METRICS_DISABLED, service: process.env.POWERTOOLS_SERVICE_NAME };
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
  process.env.POWERTOOLS_METRICS_DISABLED = "false";
  // The code's own service name is what is under test: the stack's variable would win over it.
  delete process.env.POWERTOOLS_SERVICE_NAME;
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = ((chunk: string) => chunks.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    await work();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.env.POWERTOOLS_LOG_LEVEL = saved.level;
    process.env.POWERTOOLS_METRICS_DISABLED = saved.metrics;
    if (saved.service !== undefined) process.env.POWERTOOLS_SERVICE_NAME = saved.service;
  }
  return chunks
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

const body = (messageId: string) =>
  JSON.stringify({ topic: "order.created", timestamp: Math.floor(Date.now() / 1000), messageId, eventData: { data: { type: "orders", id: "7" } } });

describe("Webhook ingress Lambda handler (create-handler.ts): its output", () => {
  it("logs and publishes EMF as service 'webhook-ingress' with the Lambda context, one EMF document per invocation", async () => {
    const env = { [IngressEnv.WEBHOOK_SECRET_NAME]: "oro/webhook-output", [IngressEnv.WEBHOOK_ROUTES]: JSON.stringify({ "order.created": orders }) };
    const text = body("output-m-1");
    let status: number | undefined;
    const lines = await captureOutput(async () => {
      const handler = createIngressHandler({ env });
      const result = await handler(
        functionUrlEvent(text, { "webhook-signature": signBody(text, SECRET), "webhook-id": "wh-out" }),
        lambdaContext(10_000, "ingress-fn"),
      );
      status = result.statusCode;
    });

    expect(status).toBe(202);
    expect((await aws.drain(orders)).map((m) => m.Body)).toEqual([text]);
    const emf = lines.filter((l) => l._aws !== undefined);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ service: "webhook-ingress", WebhooksAccepted: 1 });
    const logs = lines.filter((l) => l._aws === undefined);
    expect(logs.map((l) => [l.level, l.message, l.service, l.function_name, l.messageId, l.webhookId])).toEqual([
      ["INFO", "webhook enqueued", "webhook-ingress", "ingress-fn", "output-m-1", "wh-out"],
    ]);
  });

  it("an unplanned failure (no secret name configured): 503, an ERROR line naming the cause, and WebhooksUnavailable 1 in its EMF document", async () => {
    let result: Awaited<ReturnType<ReturnType<typeof createIngressHandler>>> | undefined;
    const lines = await captureOutput(async () => {
      const handler = createIngressHandler({ env: {} });
      result = await handler(functionUrlEvent(body("output-m-2"), {}), lambdaContext(10_000, "ingress-fn"));
    });

    expect([result?.statusCode, result?.headers, result?.body]).toEqual([
      503,
      { "content-type": "application/json", "retry-after": "30" },
      JSON.stringify({ error: "temporarily unavailable" }),
    ]);
    const emf = lines.filter((l) => l._aws !== undefined);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ service: "webhook-ingress", WebhooksUnavailable: 1 });
    const logs = lines.filter((l) => l._aws === undefined);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: "ERROR",
      message: "webhook ingress failed: answering 503 so Oro retries",
      service: "webhook-ingress",
      function_name: "ingress-fn",
      code: "CONFIGURATION",
    });
    expect(JSON.stringify(logs[0]?.error)).toContain(`environment variable ${IngressEnv.WEBHOOK_SECRET_NAME} is not set`);
  });
});
