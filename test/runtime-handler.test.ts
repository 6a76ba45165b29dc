/**
 * createConnectorHandler (shared/runtime/handler.ts, middlewares.ts) as Lambda runs it, against
 * real local SQS (fauxqs) and the local Secrets Manager: config read from the environment, the
 * EMF metrics it publishes (service and dimensions), the Lambda context on its log lines, the
 * transport client built once per container, the random source of the backoff, and no early
 * timeout of middy's own.
 */
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Context, SQSRecord } from "aws-lambda";
import * as z from "zod/mini";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineConnector, defineIntegrationType } from "../shared/connector";
import type { ConnectorContext } from "../shared/connector";
import { TransientError } from "../shared/errors";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";
import { lambdaContext, toSqsRecord } from "../local-stack/event-source";
import { type LocalAws, startLocalAws } from "./helpers/local-aws";

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => {
  await aws.stop();
});

let clientsBuilt = 0;
const integration = defineIntegrationType<{ apiKey: string }, { id: number }>({
  type: "handler-test-system",
  label: "Handler test system",
  settings: z.object({ apiKey: z.string() }),
  createClient: () => ({ id: ++clientsBuilt }),
});

type Handle = (payload: { step: string }, context: ConnectorContext<{ id: number }>) => Promise<void>;
let behaviour: Handle = async () => undefined;
const connector = defineConnector({
  type: "handler-test-connector",
  label: "Handler test connector",
  integrationType: integration,
  entity: "products",
  direction: "import",
  defaults: {},
  messages: { work: z.object({ step: z.string() }) },
  handle: (message, context) => behaviour(message.payload, context as unknown as ConnectorContext<{ id: number }>),
});

let queueNumber = 0;
/** A connector queue with its DLQ and an alerts queue, and the environment the stack would set. */
const queues = async (extra: Record<string, string> = {}) => {
  const name = `handler-${++queueNumber}`;
  const { queueUrl, dlqUrl } = await aws.createConnectorQueues(name, { maxReceiveCount: 5 });
  const alertsQueueUrl = await aws.createQueue(`${name}-alerts`);
  const env: NodeJS.ProcessEnv = {
    INTEGRATION_NAME: "handler-main",
    CONNECTOR_TYPE: connector.type,
    QUEUE_URL: queueUrl,
    DLQ_URL: dlqUrl,
    ALERTS_QUEUE_URL: alertsQueueUrl,
    BACKOFF_BASE_SECONDS: "1000",
    MAX_RECEIVE_COUNT: "5",
    DEADLINE_MARGIN_MS: "500",
    ...extra,
  };
  return { queueUrl, dlqUrl, alertsQueueUrl, env };
};

/** Sends `count` work messages and receives them as Lambda would get them. */
const receive = async (queueUrl: string, steps: string[]): Promise<SQSRecord[]> => {
  for (const [i, step] of steps.entries()) {
    await aws.send(
      queueUrl,
      JSON.stringify(createEnvelope({ id: `e-${queueNumber}-${i}`, integration: "handler-main", connector: connector.type, type: "work", payload: { step } })),
    );
  }
  const got = await aws.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] }),
  );
  return (got.Messages ?? []).map((m) => toSqsRecord(m, "arn:aws:sqs:us-east-1:000000000000:q"));
};

/** Runs `work` with log level INFO (or `level`) and metrics enabled, and returns what it wrote to stdout and stderr as JSON lines. */
const captureOutput = async (work: () => Promise<unknown>, level = "INFO"): Promise<Array<Record<string, unknown>>> => {
  const saved = { level: process.env.POWERTOOLS_LOG_LEVEL, metrics: process.env.POWERTOOLS_METRICS_DISABLED };
  process.env.POWERTOOLS_LOG_LEVEL = level;
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

describe("Function: createConnectorHandler", () => {
  it("reads its config from the given environment, publishes EMF with the connector's dimensions, and logs with the Lambda context", async () => {
    const q = await queues();
    behaviour = async (p) => {
      if (p.step === "fail") throw new TransientError("upstream down", { code: "HTTP_503" });
    };
    const records = await receive(q.queueUrl, ["ok", "fail"]);
    const context = lambdaContext(30_000, "handler-fn");
    const lines = await captureOutput(async () => {
      const handler = createConnectorHandler(connector, { env: q.env, random: () => 0 });
      const response = await handler({ Records: records }, context);
      expect(response.batchItemFailures).toHaveLength(1);
    });
    const emf = lines.filter((l) => l._aws !== undefined);
    expect(emf).toHaveLength(1);
    const [blob] = emf;
    expect(blob).toMatchObject({ service: connector.type, connector: connector.type, integration: "handler-main", RecordsOk: 1, RecordsFailed: 1 });
    const directives = (blob?._aws as { CloudWatchMetrics: Array<{ Dimensions: string[][] }> }).CloudWatchMetrics;
    expect(directives[0]?.Dimensions[0]).toEqual(expect.arrayContaining(["service", "connector", "integration"]));
    const retryLine = lines.find((l) => l.message === "transient failure: retrying later");
    expect(retryLine).toMatchObject({ function_request_id: context.awsRequestId, function_name: "handler-fn", service: connector.type });
  });

  it("without a Lambda request id it adds no context to its logs", async () => {
    const q = await queues();
    behaviour = async () => {
      throw new TransientError("upstream down", { code: "HTTP_503" });
    };
    const records = await receive(q.queueUrl, ["fail"]);
    const context = { ...lambdaContext(30_000), awsRequestId: "" } as Context;
    const lines = await captureOutput(() => createConnectorHandler(connector, { env: q.env, random: () => 0 })({ Records: records }, context));
    const retryLine = lines.find((l) => l.message === "transient failure: retrying later");
    expect(retryLine).toBeDefined();
    expect(retryLine).not.toHaveProperty("function_request_id");
    expect(retryLine).not.toHaveProperty("function_name");
  });

  it("logs each record's duration at DEBUG level in every invocation of a container, and nothing at INFO", async () => {
    behaviour = async () => undefined;
    for (const level of ["DEBUG", "INFO"]) {
      const q = await queues();
      const first = await receive(q.queueUrl, ["ok", "ok"]);
      const second = await receive(q.queueUrl, ["ok"]);
      const lines = await captureOutput(async () => {
        const handler = createConnectorHandler(connector, { env: q.env });
        await handler({ Records: first }, lambdaContext(30_000));
        await handler({ Records: second }, lambdaContext(30_000));
      }, level);
      const processed = lines.filter((l) => l.message === "record processed").map((l) => [l.level, l.sqsMessageId]);
      expect(processed).toEqual(level === "DEBUG" ? [...first, ...second].map((r) => ["DEBUG", r.messageId]) : []);
    }
  });

  it("builds the transport client once per container", async () => {
    const q = await queues({ INTEGRATION_SECRET_NAME: "handler/test" });
    aws.secrets.put("handler/test", { apiKey: "k-1234567890" });
    const seen: number[] = [];
    behaviour = async (_p, context) => {
      seen.push(context.client.id, context.client.id);
    };
    const handler = createConnectorHandler(connector, { env: q.env });
    const before = clientsBuilt;
    await handler({ Records: await receive(q.queueUrl, ["ok", "ok"]) }, lambdaContext(30_000));
    await handler({ Records: await receive(q.queueUrl, ["ok"]) }, lambdaContext(30_000));
    expect(clientsBuilt - before).toBe(1);
    expect(new Set(seen)).toEqual(new Set([before + 1]));
    expect(seen).toHaveLength(6);
  });

  it("a connector that calls Oro without ORO_SECRET_NAME fails with the setting to fix, alerted on its last attempt", async () => {
    const q = await queues({ MAX_RECEIVE_COUNT: "1" });
    behaviour = async (_p, context) => {
      await context.oro.get("products", "1");
    };
    const records = await receive(q.queueUrl, ["ok"]);
    const response = await createConnectorHandler(connector, { env: q.env, random: () => 0 })({ Records: records }, lambdaContext(30_000));
    expect(response.batchItemFailures).toHaveLength(1);
    const alerts = await aws.drain(q.alertsQueueUrl);
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]?.Body ?? "{}")).toMatchObject({
      kind: "failure",
      disposition: "exhausted",
      code: "CONFIGURATION",
      message: `connector ${connector.type} needs ORO_SECRET_NAME: set oroSecretName in the deploy config`,
    });
  });

  it("uses the random source it is given for the backoff: random 0 makes the retry visible again after the 1 s floor", async () => {
    const q = await queues();
    behaviour = async () => {
      throw new TransientError("upstream down", { code: "HTTP_503" });
    };
    const records = await receive(q.queueUrl, ["fail"]);
    await createConnectorHandler(connector, { env: q.env, random: () => 0 })({ Records: records }, lambdaContext(30_000));
    // Base 1,000 s: any other random draw would hide the message for minutes.
    const again = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: q.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
    expect(again.Messages?.map((m) => m.MessageId)).toEqual([records[0]?.messageId]);
  });

  it("has no middy early timeout: an invocation with 3 ms left still answers, releasing its records", async () => {
    const q = await queues();
    behaviour = async () => undefined;
    const records = await receive(q.queueUrl, ["ok"]);
    const response = await createConnectorHandler(connector, { env: q.env })({ Records: records }, lambdaContext(3));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.messageId }]);
  });
});
