import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotifierHandler } from "../functions/notifier";
import { pollOnce } from "../local-stack/event-source";
import { type OroSandbox, type StoredRecord, startOroSandbox } from "../sandboxes/oro";
import { ALERT_EVENT_VERSION, type FailureEvent } from "../shared/alerts";
import { RuntimeEnv } from "../shared/runtime";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

/**
 * What the notifier Lambda (functions/notifier/create-handler.ts) itself adds around the batch
 * processor, seen from outside: the config read from the environment it is given, its log lines
 * and EMF metrics under the service name "notifier" with the Lambda context, and no middy early
 * timeout (the batch processor keeps the deadline itself). Real handler against fauxqs, dynalite,
 * the local Secrets Manager and the Oro sandbox over HTTP.
 */
const CLIENT = { id: "notifier-output", secret: "notifier-output-secret-0001" };

let aws: LocalAws;
let oro: OroSandbox;
let stateTableName: string;

beforeAll(async () => {
  aws = await startLocalAws();
  stateTableName = await aws.dynamodb.createStateTable("notifier-output-state");
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
});

afterAll(async () => {
  await oro?.stop();
  await aws?.stop();
});

/** Runs `work` with log level INFO and metrics enabled, and returns what it wrote to stdout and stderr as JSON lines. */
const captureOutput = async (work: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> => {
  const saved = { level: process.env.POWERTOOLS_LOG_LEVEL, metrics: process.env.POWERTOOLS_METRICS_DISABLED };
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
  process.env.POWERTOOLS_METRICS_DISABLED = "false";
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
  }
  return chunks
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

/** An SQS request as the SDK sent it (JSON protocol: the operation is the X-Amz-Target header). */
interface SqsCall {
  target: string;
  body: Record<string, unknown>;
}
/**
 * A pass-through in front of fauxqs on 127.0.0.1 that records what the handler's SDK client sends
 * (fauxqs accepts and drops FIFO-only parameters on a standard queue, and keeps no record of a
 * visibility change's value). Everything is forwarded byte for byte and answered by fauxqs.
 */
const recordingSqs = async (target: string) => {
  const calls: SqsCall[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      calls.push({ target: String(req.headers["x-amz-target"] ?? ""), body: JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown> });
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", (error) => res.destroy(error));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url, calls, stop };
};

let counter = 0;
/** A handler configured only through `env` (the variables the stack sets), as in Lambda. */
const setup = async () => {
  const integration = `output-${++counter}`;
  const oroSecret = `oro/notifier-output-${counter}`;
  aws.secrets.put(oroSecret, { baseUrl: oro.url, clientId: CLIENT.id, clientSecret: CLIENT.secret });
  const queues = await aws.createConnectorQueues(`${integration}-alerts`, { maxReceiveCount: 5 });
  const env = {
    ...process.env,
    [RuntimeEnv.ORO_SECRET_NAME]: oroSecret,
    [RuntimeEnv.QUEUE_URL]: queues.queueUrl,
    [RuntimeEnv.DLQ_URL]: queues.dlqUrl,
    [RuntimeEnv.STATE_TABLE_NAME]: stateTableName,
    [RuntimeEnv.MAX_RECEIVE_COUNT]: "5",
    [RuntimeEnv.BACKOFF_BASE_SECONDS]: "0",
    [RuntimeEnv.DEADLINE_MARGIN_MS]: "500",
  };
  const failure = (over: Partial<FailureEvent> = {}): FailureEvent => ({
    version: ALERT_EVENT_VERSION,
    kind: "failure",
    integration,
    entity: "products",
    operation: "import",
    step: "page",
    alertType: "validation",
    connector: "akeneo-products",
    code: "VALIDATION",
    message: "products: not blank constraint at /data/attributes/sku",
    envelopeId: "page-1",
    attempts: 1,
    disposition: "permanent",
    dlq: `${integration}-products-dlq`,
    occurredAt: "2026-11-26T20:00:00.000Z",
    ...over,
  });
  const send = async (...events: Array<FailureEvent | string>) => {
    for (const e of events) await aws.send(queues.queueUrl, typeof e === "string" ? e : JSON.stringify(e));
  };
  const alerts = async () => (await oro.admin.state<StoredRecord[]>("notificationalerts")).filter((a) => a.attributes.sourceType === integration);
  return { integration, env, queues, failure, send, alerts };
};

describe("Notifier Lambda handler (create-handler.ts) on the local services", () => {
  it("reads its config from the given env, logs and publishes EMF as service 'notifier' with the Lambda context", async () => {
    for (const name of [RuntimeEnv.QUEUE_URL, RuntimeEnv.DLQ_URL, RuntimeEnv.STATE_TABLE_NAME, RuntimeEnv.ORO_SECRET_NAME]) {
      // The given env is what the handler reads: none of these in process.env.
      expect(process.env[name]).toBeUndefined();
    }
    const t = await setup();
    await t.send(t.failure(), "{not json");
    let result: Awaited<ReturnType<typeof pollOnce>> | undefined;
    const lines = await captureOutput(async () => {
      const handler = createNotifierHandler({ env: t.env, oro: { retry: { attempts: 1 } } });
      result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queues.queueUrl, handler, functionName: "notifier-fn" });
    });

    expect(result).toMatchObject({ received: 2, deleted: 2, failed: [] });
    expect(result?.error).toBeUndefined();
    expect((await t.alerts()).map((a) => a.attributes.alertType)).toEqual(["validation"]);

    const emf = lines.filter((l) => l._aws !== undefined);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ service: "notifier", AlertEventsReceived: 2, AlertEventsInvalid: 1, AlertsCreated: 1, AlertEventsDeadLettered: 1 });
    const unreadable = lines.find((l) => l.message === "alert event is unreadable: sent to the notifier DLQ");
    expect(unreadable).toMatchObject({ level: "ERROR", service: "notifier", function_name: "notifier-fn" });
  });

  it("has no middy early timeout: with 3 ms left it answers with every record failed (released), not with a timeout error", async () => {
    const t = await setup();
    await t.send(t.failure({ envelopeId: "page-1" }), t.failure({ envelopeId: "page-2", itemId: 2 }));
    const handler = createNotifierHandler({ env: t.env, oro: { retry: { attempts: 1 } } });

    const result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queues.queueUrl, handler, timeoutMs: 3 });

    expect(result.error).toBeUndefined();
    expect(result.received).toBe(2);
    expect(result.deleted).toBe(0);
    expect(result.response?.batchItemFailures).toHaveLength(2);
    expect(await t.alerts()).toEqual([]);
  });

  it("sends DLQ copies without FIFO parameters (a standard queue) and backs a failed fold off with the given random source", async () => {
    const t = await setup();
    // A wrong Oro secret: the fold fails transiently and is retried with backoff.
    const oroSecret = `oro/notifier-output-wrong-${counter}`;
    aws.secrets.put(oroSecret, { baseUrl: oro.url, clientId: CLIENT.id, clientSecret: "not-the-client-secret" });
    await t.send(t.failure(), "{not json");
    const sqs = await recordingSqs(aws.fauxqs.address);
    const saved = process.env.AWS_ENDPOINT_URL_SQS;
    // The handler's container builds its SQS client on first use, from this variable.
    process.env.AWS_ENDPOINT_URL_SQS = sqs.url;
    let result: Awaited<ReturnType<typeof pollOnce>>;
    try {
      const handler = createNotifierHandler({
        env: { ...t.env, [RuntimeEnv.ORO_SECRET_NAME]: oroSecret, [RuntimeEnv.BACKOFF_BASE_SECONDS]: "600" },
        oro: { retry: { attempts: 1 } },
        random: () => 0.5,
      });
      result = await pollOnce({ sqs: aws.sqs, queueUrl: t.queues.queueUrl, handler });
    } finally {
      process.env.AWS_ENDPOINT_URL_SQS = saved;
      await sqs.stop();
    }

    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ received: 2, deleted: 1 });
    expect(result.failed).toHaveLength(1);
    const sends = sqs.calls.filter((c) => c.target === "AmazonSQS.SendMessage");
    expect(sends.map((c) => c.body.QueueUrl)).toEqual([t.queues.dlqUrl]);
    expect(sends[0]?.body.MessageBody).toBe("{not json");
    expect(sends[0]?.body).not.toHaveProperty("MessageGroupId");
    expect(sends[0]?.body).not.toHaveProperty("MessageDeduplicationId");
    // Receive count 1, base 600 s: ceiling 600 s, x 0.5 = 300 s.
    const visibility = sqs.calls.filter((c) => c.target === "AmazonSQS.ChangeMessageVisibility");
    expect(visibility.map((c) => [c.body.QueueUrl, c.body.VisibilityTimeout])).toEqual([[t.queues.queueUrl, 300]]);
  });
});
