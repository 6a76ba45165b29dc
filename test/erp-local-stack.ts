import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Message } from "@aws-sdk/client-sqs";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { AlertEventSchema } from "../shared/alerts";
import type { AlertEvent } from "../shared/alerts";
import type { AnyConnector } from "../shared/connector";
import { closeAll } from "../shared/http";
import { createEnvelope } from "../shared/messages";
import { createOroClient } from "../shared/oro";
import type { OroClient } from "../shared/oro";
import { createConnectorHandler } from "../shared/runtime";
import { lambdaContext, pollOnce } from "../local-stack/event-source";
import { renderOneConnector } from "../local-stack/one-connector";
import { createIngressHandler } from "../functions/webhook-ingress/create-handler";
import { startErpSandbox } from "../sandboxes/erp";
import type { ErpSandbox } from "../sandboxes/erp";
import { startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";
import { startLocalAws } from "./helpers/local-aws";
import type { LocalAws } from "./helpers/local-aws";

/**
 * The local services the ERP connector suites run on: fauxqs + local Secrets Manager, the Oro
 * sandbox, the ERP sandbox, and the real webhook ingress behind a 127.0.0.1 HTTP server (Oro's
 * webhooks reach it exactly as they would reach the Function URL).
 */
export interface ErpStack {
  aws: LocalAws;
  oro: OroSandbox;
  erp: ErpSandbox;
  /** The product's Oro client on the sandbox (for setup and assertions). */
  oroClient: OroClient;
  /** URL Oro's webhooks post to (the ingress). */
  webhookUrl: string;
  /** Where the ingress forwards each topic (set per test). */
  routes: Record<string, string>;
  stop(): Promise<void>;
}

export const INTEGRATION = "erp-main";
export const ORO_SECRET = "oro/main";
export const ERP_SECRET = "erp/main";
export const WEBHOOK_SECRET = "webhook/signing";
export const SIGNING_SECRET = "signing-secret-0123456789";

export const startErpStack = async (): Promise<ErpStack> => {
  const aws = await startLocalAws();
  const oro = await startOroSandbox({
    clientId: "erp-tests",
    clientSecret: "erp-tests-secret",
    webhookRetry: { baseDelayMs: 50, maxAttempts: 3, timeoutMs: 5_000 },
  });
  const erp = await startErpSandbox();
  const connection = { baseUrl: oro.url, apiPrefix: "/admin/api", clientId: "erp-tests", clientSecret: "erp-tests-secret" };
  aws.secrets.put(ORO_SECRET, connection);
  aws.secrets.put(ERP_SECRET, { baseUrl: erp.url, apiKey: erp.apiKey, maxConnections: 4 });
  aws.secrets.put(WEBHOOK_SECRET, { secret: SIGNING_SECRET });
  const routes: Record<string, string> = {};
  let ingress: ReturnType<typeof createIngressHandler> | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      ingress ??= createIngressHandler({ env: {}, overrides: { secretName: WEBHOOK_SECRET, routes } });
      const event = {
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")])),
        body: Buffer.concat(chunks).toString("utf8"),
        isBase64Encoded: false,
        requestContext: { http: { method: req.method ?? "POST", sourceIp: "127.0.0.1" } },
      } as unknown as LambdaFunctionURLEvent;
      void Promise.resolve(ingress(event, lambdaContext(10_000, "webhook-ingress"))).then((out) => {
        const result = (out ?? { statusCode: 500 }) as { statusCode?: number; headers?: Record<string, string>; body?: string };
        res.writeHead(result.statusCode ?? 200, result.headers ?? {}).end(result.body ?? "");
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  const oroClient = createOroClient({ getConnection: async () => ({ ...connection }) });
  return {
    aws,
    oro,
    erp,
    oroClient,
    webhookUrl,
    routes,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeAll();
      await oro.stop();
      await erp.stop();
      await aws.stop();
    },
  };
};

/** One connector wired to fresh queues on the stack. */
export interface ConnectorRig {
  queueUrl: string;
  dlqUrl: string;
  alertsQueueUrl: string;
  handler: ReturnType<typeof createConnectorHandler>;
  /** Sends a native envelope to the connector queue. */
  send(type: string, id: string, payload: Record<string, unknown>): Promise<string>;
  /** Polls until the queue stays empty (bounded); returns the number of polls that received something. */
  drain(options?: { maxPolls?: number; pauseMs?: number }): Promise<{ polls: number; received: number; failed: number }>;
  alerts(): Promise<AlertEvent[]>;
  dlq(): Promise<Message[]>;
}

let rigs = 0;

export const connectorRig = async (
  stack: ErpStack,
  connector: AnyConnector,
  options: { settings?: Record<string, unknown>; maxReceiveCount?: number; recordConcurrency?: number; batchSize?: number } = {},
): Promise<ConnectorRig> => {
  // The deployment plan of this one connector, rendered as the local stack renders it (unique
  // queue names per rig); only test tuning (no backoff, a short deadline margin) comes on top.
  const rendered = await renderOneConnector(stack.aws.sqs, {
    connector,
    integration: INTEGRATION,
    integrationSecretName: ERP_SECRET,
    oroSecretName: ORO_SECRET,
    stackName: `rig${++rigs}`,
    createStateTable: (name) => stack.aws.dynamodb.createStateTable(name),
    entry: {
      settings: options.settings ?? {},
      maxReceiveCount: options.maxReceiveCount ?? 5,
      recordConcurrency: options.recordConcurrency ?? 4,
      timeoutSeconds: 30,
    },
  });
  const queues = { queueUrl: rendered.connector.queueUrl, dlqUrl: rendered.connector.dlqUrl };
  const alertsQueueUrl = rendered.notifier.queueUrl;
  const timeoutMs = rendered.connectorPlan.function.timeoutSeconds * 1000;
  const handler = createConnectorHandler(connector, { env: rendered.connector.env, overrides: { deadlineMarginMs: 500, backoffBaseSeconds: 0 } });
  return {
    ...queues,
    alertsQueueUrl,
    handler,
    send: (type, id, payload) =>
      stack.aws.send(queues.queueUrl, JSON.stringify(createEnvelope({ id, integration: INTEGRATION, connector: connector.type, type, payload }))),
    async drain({ maxPolls = 60, pauseMs = 100 } = {}) {
      let polls = 0;
      let received = 0;
      let failed = 0;
      let idle = 0;
      for (let i = 0; i < maxPolls && idle < 2; i += 1) {
        const result = await pollOnce({ sqs: stack.aws.sqs, queueUrl: queues.queueUrl, handler, batchSize: options.batchSize ?? 10, timeoutMs });
        if (result.received === 0) {
          idle += 1;
          await new Promise((resolve) => setTimeout(resolve, pauseMs));
          continue;
        }
        idle = 0;
        polls += 1;
        received += result.received;
        failed += result.failed.length;
      }
      return { polls, received, failed };
    },
    alerts: async () => (await stack.aws.drain(alertsQueueUrl)).map((m) => AlertEventSchema.parse(JSON.parse(m.Body ?? ""))),
    dlq: () => stack.aws.drain(queues.dlqUrl),
  };
};
