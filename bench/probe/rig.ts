/**
 * The local endpoints a probed function runs against, all on 127.0.0.1: fauxqs behind a counting
 * proxy (every SQS request and its payload bytes, so SQS's 64 KB billing chunks can be counted),
 * the local Secrets Manager (reads counted), the Oro, Akeneo and ERP sandboxes. {@link probe}
 * forks bench/probe/child.mjs as one fresh Lambda container of a deployed bundle with the
 * environment the stack gives it, and collects what it reports plus its log bytes (stdout).
 * Used by bench:coldstart (first record) and bench:cost (warm batches, memory, costs).
 */
import { fork } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { SQSEvent } from "aws-lambda";
import { startFauxqs } from "fauxqs";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ALERT_EVENT_VERSION } from "../../shared/alerts";
import { createEnvelope } from "../../shared/messages";
import { RuntimeEnv } from "../../shared/runtime";
import { connectors } from "../../functions/registry";
import { Defaults, loadDeployConfig, NOTIFIER_TIMEOUT_SECONDS, resolveConnectorSettings, resolveShared, REPO_ROOT } from "../../infra/config";
import { startLocalSecretsManager } from "../../local-stack/secrets-manager";
import { startLocalDynamoDb } from "../../local-stack/dynamodb";
import { generateCatalog, startAkeneoSandbox } from "../../sandboxes/akeneo";
import { startErpSandbox } from "../../sandboxes/erp";
import { startOroSandbox } from "../../sandboxes/oro";
import { SANDBOX_SETTINGS } from "../../test/akeneo-harness";

const ORO_CLIENT = { id: "probe-client", secret: "probe-client-secret-value" };
const CHILD = join(import.meta.dirname, "child.mjs");
/** SQS bills each 64 KB chunk of a request's payload as one request (https://aws.amazon.com/sqs/pricing/). */
export const SQS_BILLING_CHUNK = 64 * 1024;

export interface SqsCounter {
  requests: number;
  /** Requests as billed: each 64 KB of the larger of request and response payload counts once. */
  billed: number;
  byAction: Record<string, number>;
}

/** A counting HTTP proxy in front of fauxqs. */
const countingProxy = async (target: string) => {
  const counter: SqsCounter = { requests: 0, billed: 0, byAction: {} };
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const action = String(req.headers["x-amz-target"] ?? "").replace(/^AmazonSQS\./, "") || "?";
      const upstream = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
        (up) => {
          const out: Buffer[] = [];
          up.on("data", (c: Buffer) => out.push(c));
          up.on("end", () => {
            const response = Buffer.concat(out);
            counter.requests += 1;
            counter.byAction[action] = (counter.byAction[action] ?? 0) + 1;
            counter.billed += Math.max(1, Math.ceil(Math.max(body.length, response.length) / SQS_BILLING_CHUNK));
            res.writeHead(up.statusCode ?? 500, up.headers);
            res.end(response);
          });
        },
      );
      upstream.on("error", (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, counter, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

/** What a probed function needs: its resolved deploy settings, environment, first event, warm load. */
export interface ProbeSpec {
  name: string;
  memoryMb: number;
  batchSize: number;
  timeoutSeconds: number;
  env: Record<string, string>;
  first: SQSEvent;
  queueUrl: string;
  /** Puts the warm load on the function's queue (and in the sandboxes); returns the records it holds. */
  loadWarm(): Promise<number>;
}

export interface WarmReport {
  invocations: Array<{ ms: number; messages: number; failures: number }>;
  heapBaseMb: number;
  heapPeakMb: number;
  maxRssMb: number;
}

export interface FirstReport {
  importMs: number;
  handlerMs: number;
  firstRecordMs: number;
  /** CPU time (user + system) of the container process until its first record finished. */
  cpuMs: number;
  failures: number;
}

export interface ProbeResult {
  first: FirstReport;
  warm?: WarmReport;
  /** Bytes the function wrote to stdout (= CloudWatch Logs) during the warm phase. */
  warmLogBytes: number;
  sqs?: SqsCounter;
  secretReads: number;
  /** DynamoDB requests of the container (run ledger, leases), by kind; each counted as one request unit. */
  dynamo: { reads: number; writes: number };
  records: number;
  /** Products added to Oro during the warm phase. */
  oroProductsAdded: number;
}

const sqsEvent = (bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `first-${i}`,
    receiptHandle: `first-${i}`,
    body,
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()), SenderId: "probe", ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:probe",
    awsRegion: "us-east-1",
  })),
});

export const startProbeRig = async (options: { warmLatencyMs?: number } = {}) => {
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: "127.0.0.1" });
  const proxy = await countingProxy(fauxqs.address);
  const secrets = await startLocalSecretsManager();
  // The state table, as deployed for every function: the connectors' run ledger (docs/ledger.md)
  // and the notifier's alert-key leases (functions/notifier/alert-lease.ts).
  const dynamodb = await startLocalDynamoDb();
  const stateTableName = await dynamodb.createStateTable("probe-state");
  const sqs = new SQSClient({ endpoint: fauxqs.address, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const oro = await startOroSandbox({ clientId: ORO_CLIENT.id, clientSecret: ORO_CLIENT.secret });
  await oro.admin.seed({ products: 3_000, records: [{ type: "attributefamilies", attributes: { code: "accessories" } }] });
  const akeneo = await startAkeneoSandbox({ catalog: { count: 2_000, updatedAt: "2024-01-01T00:00:00Z" } });
  const erp = await startErpSandbox();
  secrets.put("oro/main", { baseUrl: oro.url, clientId: ORO_CLIENT.id, clientSecret: ORO_CLIENT.secret, maxConnections: 8 });
  secrets.put("akeneo/main", { baseUrl: akeneo.url, ...akeneo.credentials });
  secrets.put("erp/main", { baseUrl: erp.url, apiKey: erp.apiKey, maxConnections: 4 });

  // Queue URLs through the proxy: the SDK sends to the queue URL's host.
  const viaProxy = (url: string) => url.replace(fauxqs.address.replace(/\/$/, ""), proxy.url);
  const createQueue = async (name: string, attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl as string;
  const queuesFor = async (name: string) => {
    const dlq = await createQueue(`${name}-dlq`);
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
    const queue = await createQueue(name, { VisibilityTimeout: "120", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) });
    return { queue, dlq };
  };
  const alerts = await queuesFor("alerts");
  const sendAll = async (queueUrl: string, bodies: string[]) => {
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: String(j), MessageBody })) }),
      );
    }
  };

  const config = loadDeployConfig(join(REPO_ROOT, "deploy.config.json"), { connectors });
  const shared = resolveShared(config);
  const resolved = new Map(resolveConnectorSettings(config, { connectors }).map((c) => [c.connector, c]));
  const common = {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_SQS: proxy.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
    POWERTOOLS_LOG_LEVEL: shared.logLevel,
    POWERTOOLS_METRICS_NAMESPACE: shared.stackName,
  };

  const connectorSpec = async (
    type: string,
    integration: string,
    secret: string,
    first: string[],
    loadWarm: (queueUrl: string) => Promise<number>,
    extraSettings: Record<string, unknown> = {},
  ): Promise<ProbeSpec> => {
    const r = resolved.get(type);
    if (!r) throw new Error(`${type} is not in deploy.config.json`);
    const q = await queuesFor(type);
    return {
      name: type,
      memoryMb: r.memoryMb,
      batchSize: r.batchSize,
      timeoutSeconds: r.timeoutSeconds,
      queueUrl: viaProxy(q.queue),
      first: sqsEvent(first),
      loadWarm: () => loadWarm(q.queue),
      env: {
        ...common,
        POWERTOOLS_SERVICE_NAME: `${integration}-${type}`,
        [RuntimeEnv.QUEUE_URL]: viaProxy(q.queue),
        [RuntimeEnv.DLQ_URL]: viaProxy(q.dlq),
        [RuntimeEnv.ALERTS_QUEUE_URL]: viaProxy(alerts.queue),
        [RuntimeEnv.MAX_RECEIVE_COUNT]: String(r.maxReceiveCount),
        [RuntimeEnv.INTEGRATION_NAME]: integration,
        [RuntimeEnv.CONNECTOR_TYPE]: type,
        [RuntimeEnv.INTEGRATION_SECRET_NAME]: secret,
        [RuntimeEnv.ORO_SECRET_NAME]: "oro/main",
        [RuntimeEnv.RECORD_CONCURRENCY]: String(r.recordConcurrency),
        [RuntimeEnv.CONNECTOR_SETTINGS]: JSON.stringify({ ...r.settings, ...extraSettings }),
        // The run ledger, as infra/plan/plan.ts gives every connector: its first record opens and settles a run.
        [RuntimeEnv.STATE_TABLE_NAME]: stateTableName,
      },
    };
  };
  const envelope = (integration: string, connector: string, type: string, id: string, payload: Record<string, unknown>) =>
    JSON.stringify(createEnvelope({ id, integration, connector, type, payload }));

  // The SKUs the Oro sandbox holds (the seeded BULK-… after its 30 demo products): a stock level of
  // any other SKU fails as an item (alert + DLQ), which is not the clean record being measured.
  const bulkSkus = oro.store
    .list("products")
    .map((p) => String(p.attributes.sku))
    .filter((sku) => sku.startsWith("BULK-"));
  if (bulkSkus.length < 3_000) throw new Error(`the Oro sandbox holds ${bulkSkus.length} BULK- products, the probe needs 3,000`);
  const firstProduct = generateCatalog({ count: 1, prefix: "FIRST-", updatedAt: "2023-01-01T00:00:00Z" });
  let orderMessage = 0;
  const orderBody = (id: string) =>
    JSON.stringify({
      topic: "order.created",
      timestamp: Math.floor(Date.now() / 1000),
      messageId: `order-${id}-${orderMessage++}`,
      eventData: { data: { type: "orders", id } },
    });
  const orderIds = oro.store.list("orders").map((o) => o.id);
  const failure = (i: number) =>
    JSON.stringify({
      version: ALERT_EVENT_VERSION,
      kind: "failure",
      integration: "akeneo-main",
      entity: "products",
      operation: "import",
      step: "page",
      alertType: "validation",
      connector: "akeneo-products",
      code: "VALIDATION",
      message: `products: not blank constraint at /data/attributes/sku (product ${i})`,
      envelopeId: `page-${i}`,
      externalId: `SKU-${i}`,
      attempts: 1,
      disposition: "permanent",
      dlq: "akeneo-main-products-dlq",
      occurredAt: new Date().toISOString(),
    });

  const specs: ProbeSpec[] = [
    await connectorSpec(
      "akeneo-products",
      "akeneo-main",
      "akeneo/main",
      [envelope("akeneo-main", "akeneo-products", "page", "first-page", { window: "first", products: firstProduct })],
      // One backfill window over the Akeneo catalog: the listing fans out page messages, 5 per invocation.
      async (queueUrl) => {
        await sendAll(queueUrl, [
          envelope("akeneo-main", "akeneo-products", "window", "warm-backfill", { from: "2023-12-31T00:00:00Z", to: "2024-01-02T00:00:00Z" }),
        ]);
        return 2_000;
      },
      SANDBOX_SETTINGS,
    ),
    await connectorSpec(
      "erp-stock",
      "erp-main",
      "erp/main",
      [envelope("erp-main", "erp-stock", "stock.changed", "first-levels", { levels: [{ sku: bulkSkus[0] as string, unit: "each", quantity: "7" }] })],
      // A backfill window over 2,000 changed levels (pages chained one by one), then a full batch of pushed levels.
      async (queueUrl) => {
        const sku = (i: number) => bulkSkus[i - 1] as string;
        await erp.admin.putStock({
          levels: Array.from({ length: 2_000 }, (_, i) => ({
            sku: sku(i + 1),
            unit: "each",
            quantity: String(100 + i),
            updatedAt: "2024-01-01T00:00:00.000Z",
          })),
        });
        const pushed = Array.from({ length: 10 }, (_, m) =>
          envelope("erp-main", "erp-stock", "stock.changed", `warm-push-${m}`, {
            levels: Array.from({ length: 100 }, (_, i) => ({ sku: sku(2_001 + m * 100 + i), unit: "each", quantity: String(i) })),
          }),
        );
        await sendAll(queueUrl, [
          envelope("erp-main", "erp-stock", "window", "warm-backfill", { from: "2023-12-31T00:00:00Z", to: "2024-01-02T00:00:00Z" }),
          ...pushed,
        ]);
        return 3_000;
      },
    ),
    await connectorSpec("oro-orders-to-erp", "erp-main", "erp/main", [orderBody(orderIds[0] ?? "1")], async (queueUrl) => {
      const bodies = Array.from({ length: 50 }, (_, i) => orderBody(orderIds[i % orderIds.length] ?? "1"));
      await sendAll(queueUrl, bodies);
      return bodies.length;
    }),
  ];
  // The notifier, with the environment infra/stack.ts gives it.
  const notifierQueues = await queuesFor("notifier");
  specs.push({
    name: "notifier",
    memoryMb: 256,
    batchSize: Defaults.NOTIFIER_BATCH_SIZE,
    timeoutSeconds: NOTIFIER_TIMEOUT_SECONDS,
    queueUrl: viaProxy(notifierQueues.queue),
    first: sqsEvent([failure(0)]),
    loadWarm: async () => {
      const bodies = Array.from({ length: 200 }, (_, i) => failure(1 + (i % 40)));
      await sendAll(notifierQueues.queue, bodies);
      return bodies.length;
    },
    env: {
      ...common,
      POWERTOOLS_SERVICE_NAME: "notifier",
      [RuntimeEnv.ORO_SECRET_NAME]: "oro/main",
      [RuntimeEnv.QUEUE_URL]: viaProxy(notifierQueues.queue),
      [RuntimeEnv.DLQ_URL]: viaProxy(notifierQueues.dlq),
      [RuntimeEnv.MAX_RECEIVE_COUNT]: "5",
      [RuntimeEnv.STATE_TABLE_NAME]: stateTableName,
    },
  });

  /** The naive bundle (bench/fixtures/naive-handler.ts): secret, token, one Oro call for its first record. */
  const naive: ProbeSpec = {
    name: "naive",
    memoryMb: 512,
    batchSize: 1,
    timeoutSeconds: 60,
    queueUrl: "",
    first: sqsEvent([JSON.stringify({ id: "first", payload: { sku: "FIRST-1" } })]),
    loadWarm: () => Promise.resolve(0),
    env: { ...common, POWERTOOLS_SERVICE_NAME: "naive", [RuntimeEnv.ORO_SECRET_NAME]: "oro/main" },
  };

  /** DynamoDB requests so far: reads (GetItem, BatchGetItem, Query, Scan) and writes (the rest). */
  const dynamoCounts = () => {
    let reads = 0;
    let writes = 0;
    for (const [op, n] of Object.entries(dynamodb.requests())) {
      if (/^(GetItem|BatchGetItem|Query|Scan)$/.test(op)) reads += n;
      else if (!/^(CreateTable|DescribeTable|ListTables)$/.test(op)) writes += n;
    }
    return { reads, writes };
  };

  const setLatency = async (latencyMs: number) => {
    await oro.admin.faults({ latencyMs }, { merge: true });
    await akeneo.admin.faults({ latencyMs }, { merge: true });
    await erp.admin.faults({ latencyMs }, { merge: true });
  };

  /**
   * One fresh container: the first event at no added latency (local endpoints; `firstEvent.latencyMs`
   * per Oro, Akeneo and ERP request instead, for the first record with network waits), then, with
   * `warm`, the warm load at `warmLatencyMs` per sandbox request (50 ms, as bench:sync).
   */
  const probe = async (spec: ProbeSpec, bundle: string, warm: boolean, firstEvent: { latencyMs?: number } = {}): Promise<ProbeResult> => {
    await setLatency(firstEvent.latencyMs ?? 0);
    const readsBefore = [...secrets.reads.values()].reduce((a, b) => a + b, 0);
    const dynamoBefore = dynamoCounts();
    const child = fork(CHILD, [], {
      execPath: process.execPath,
      execArgv: process.env.PROBE_EXEC_ARGV ? process.env.PROBE_EXEC_ARGV.split(" ") : [],
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: {
        PATH: process.env.PATH,
        ...spec.env,
        PROBE_BUNDLE: bundle,
        PROBE_NAME: spec.name,
        PROBE_MEMORY_MB: String(spec.memoryMb),
        PROBE_TIMEOUT_MS: String(spec.timeoutSeconds * 1000),
        PROBE_BATCH: String(spec.batchSize),
        PROBE_FIRST: JSON.stringify(spec.first),
        ...(warm ? { PROBE_QUEUE: spec.queueUrl } : {}),
      },
    });
    let logBytes = 0;
    let counting = false;
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => {
      logBytes += counting ? c.length : 0;
      // PROBE_ECHO=1: show the container's logs and stderr (what its first record did), for profiling.
      if (process.env.PROBE_ECHO === "1") process.stderr.write(c);
    });
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (process.env.PROBE_ECHO === "1") process.stderr.write(c);
    });
    const messages: Array<FirstReport | WarmReport> = [];
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const next = () =>
      new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${spec.name}: probe timed out; stderr: ${stderr.slice(-2_000)}`)), 240_000);
        child.once("message", (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        void exited.then((code) => reject(new Error(`${spec.name}: probe exited (${code}) early; stderr: ${stderr.slice(-2_000)}`)));
      });
    const first = (await next()) as FirstReport;
    messages.push(first);
    if (first.failures > 0) throw new Error(`${spec.name}: the first record failed; stderr: ${stderr.slice(-2_000)}`);
    let result: ProbeResult = { first, warmLogBytes: 0, secretReads: 0, dynamo: { reads: 0, writes: 0 }, records: 0, oroProductsAdded: 0 };
    if (warm) {
      await setLatency(options.warmLatencyMs ?? 50);
      const records = await spec.loadWarm();
      const productsBefore = oro.store.mustTable("products").size;
      const before = { ...proxy.counter, byAction: { ...proxy.counter.byAction } };
      counting = true;
      child.send("go");
      const report = (await next()) as WarmReport;
      counting = false;
      const sqsCounts: SqsCounter = {
        requests: proxy.counter.requests - before.requests,
        billed: proxy.counter.billed - before.billed,
        byAction: Object.fromEntries(Object.entries(proxy.counter.byAction).map(([k, v]) => [k, v - (before.byAction[k] ?? 0)])),
      };
      result = {
        ...result,
        warm: report,
        warmLogBytes: logBytes,
        sqs: sqsCounts,
        records,
        oroProductsAdded: oro.store.mustTable("products").size - productsBefore,
      };
    }
    await exited;
    result.secretReads = [...secrets.reads.values()].reduce((a, b) => a + b, 0) - readsBefore;
    const dynamoAfter = dynamoCounts();
    result.dynamo = { reads: dynamoAfter.reads - dynamoBefore.reads, writes: dynamoAfter.writes - dynamoBefore.writes };
    return result;
  };

  return {
    specs,
    naive,
    probe,
    oro,
    logLevel: shared.logLevel,
    async stop() {
      sqs.destroy();
      await proxy.stop();
      await oro.stop();
      await akeneo.stop();
      await erp.stop();
      await secrets.stop();
      await dynamodb.stop();
      await fauxqs.stop();
    },
  };
};
