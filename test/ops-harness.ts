import { stateTableName } from "../infra/plan";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, PurgeQueueCommand } from "@aws-sdk/client-sqs";
import * as z from "zod/mini";
import { connectors } from "../functions/registry";
import { loadDeployConfig, REPO_ROOT, resolveConnectorSettings, resolveShared } from "../infra/config";
import type { ConnectorRegistry } from "../infra/config";
import { createContext } from "../ops/context";
import type { OpsContext } from "../ops/context";
import type { LocalEndpoints } from "../ops/local";
import { startAkeneoSandbox } from "../sandboxes/akeneo";
import type { AkeneoSandbox } from "../sandboxes/akeneo";
import { startErpSandbox } from "../sandboxes/erp";
import type { ErpSandbox } from "../sandboxes/erp";
import { startOroSandbox } from "../sandboxes/oro";
import type { OroSandbox } from "../sandboxes/oro";
import { defineConnector } from "../shared/connector";
import { erpIntegration } from "../shared/integrations/erp";
import { loopConnector } from "./fixtures/failure-loop-connector";
import { startLocalAws } from "./helpers/local-aws";
import type { LocalAws } from "./helpers/local-aws";

/**
 * The services the ops CLI tests run on: fauxqs and the local Secrets Manager (in-process), the
 * Oro, Akeneo and ERP sandboxes on 127.0.0.1, a deploy config in a temp dir with every queue it
 * names created the way the local stack creates them, and the local stack's endpoints file.
 */
export const ORO_CLIENT = { id: "ops-cli", secret: "ops-cli-oauth-secret" };
export const SECRET = { oro: "ops/oro", akeneo: "ops/akeneo", erp: "ops/erp", loop: "ops/loop" };

/** A connector whose window message takes only explicit bounds (backfill's `{from, to}` form). */
export const rangeConnector = defineConnector({
  type: "ops-range",
  label: "Range-only window connector (ops tests)",
  integrationType: erpIntegration,
  entity: "inventorylevels",
  direction: "import",
  defaults: { schedule: "rate(1 hour)", scheduleMessageType: "window" },
  messages: { window: z.object({ from: z.string(), to: z.string() }) },
  async handle() {},
});

/** The project's connectors plus the test fixtures (in-process tests only; the spawned CLI uses the real registry). */
export const testRegistry: ConnectorRegistry = { connectors: [...connectors, loopConnector, rangeConnector] };

const baseConfig = {
  oroSecretName: SECRET.oro,
  region: "us-east-1",
  stackName: "opst",
  integrations: [
    { name: "akeneo-main", type: "akeneo", secretName: SECRET.akeneo, connectors: { "akeneo-products": {} } },
    { name: "erp-main", type: "erp", secretName: SECRET.erp, connectors: { "oro-orders-to-erp": {} } },
  ],
};

const fixtureConfig = {
  ...baseConfig,
  integrations: [
    ...baseConfig.integrations,
    { name: "erp-fifo", type: "erp", secretName: SECRET.erp, connectors: { "oro-orders-to-erp": { fifo: true } } },
    { name: "loop-main", type: "loop-system", secretName: SECRET.loop, connectors: { "loop-products": {} } },
    { name: "range-main", type: "erp", secretName: SECRET.erp, connectors: { "ops-range": {} } },
  ],
};

export interface OpsHarness {
  aws: LocalAws;
  oro: OroSandbox;
  akeneo: AkeneoSandbox;
  erp: ErpSandbox;
  dir: string;
  /** Config with the project's connectors only (what the spawned CLI loads). */
  configPath: string;
  /** Config with the fixtures as well (in-process tests, with {@link testRegistry}). */
  fixtureConfigPath: string;
  endpoints: LocalEndpoints;
  endpointsPath: string;
  /** Queue URL by name. */
  url(name: string): string;
  /** A fresh context on the fixture config (close it after use). */
  context(): OpsContext;
  /** Empties every queue. */
  purge(): Promise<void>;
  /** Puts every secret back as it was at start. */
  resetSecrets(): void;
  stop(): Promise<void>;
}

export const startOpsHarness = async (): Promise<OpsHarness> => {
  const aws = await startLocalAws();
  const [oro, akeneo, erp] = await Promise.all([
    startOroSandbox({ clientId: ORO_CLIENT.id, clientSecret: ORO_CLIENT.secret, seed: false }),
    startAkeneoSandbox(),
    startErpSandbox({ seed: false }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), "ops-cli-"));
  const configPath = join(dir, "deploy.config.json");
  const fixtureConfigPath = join(dir, "fixture.config.json");
  writeFileSync(configPath, JSON.stringify(baseConfig, null, 2));
  writeFileSync(fixtureConfigPath, JSON.stringify(fixtureConfig, null, 2));

  const resetSecrets = () => {
    aws.secrets.put(SECRET.oro, { baseUrl: oro.url, clientId: ORO_CLIENT.id, clientSecret: ORO_CLIENT.secret });
    aws.secrets.put(SECRET.akeneo, { baseUrl: akeneo.url, ...akeneo.credentials });
    aws.secrets.put(SECRET.erp, { baseUrl: erp.url, apiKey: erp.apiKey });
    aws.secrets.put(SECRET.loop, {});
  };
  resetSecrets();

  // The queues, as the local stack makes them: each DLQ, then its queue with the redrive policy.
  const config = loadDeployConfig(fixtureConfigPath, testRegistry);
  const urls = new Map<string, string>();
  const create = async (name: string, attributes: Record<string, string>) => {
    const url = (await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl as string;
    urls.set(name, url);
    return url;
  };
  const pipeline = async (queue: { name: string; fifo: boolean }, dlq: { name: string }, maxReceiveCount: number) => {
    const fifo: Record<string, string> = queue.fifo ? { FifoQueue: "true" } : {};
    const dlqUrl = await create(dlq.name, fifo);
    const arn = (await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn as string;
    await create(queue.name, { ...fifo, VisibilityTimeout: "30", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount }) });
  };
  for (const c of resolveConnectorSettings(config, testRegistry)) await pipeline(c.queue, c.dlq, c.maxReceiveCount);
  const shared = resolveShared(config);
  await pipeline(shared.alertsQueue, shared.alertsDlq, shared.alertsMaxReceiveCount);

  // The state table (run ledger), named as the stack names it.
  await aws.dynamodb.createStateTable(stateTableName(shared));
  const endpoints: LocalEndpoints = {
    region: "us-east-1",
    sqsEndpoint: aws.fauxqs.address,
    secretsManagerEndpoint: aws.secrets.url,
    dynamodbEndpoint: aws.dynamodb.url,
    stackName: "opst",
    configPath,
    sandboxes: { oro: oro.url, akeneo: akeneo.url, erp: erp.url },
  };
  const endpointsPath = join(dir, "endpoints.json");
  writeFileSync(endpointsPath, JSON.stringify(endpoints, null, 2));

  return {
    aws,
    oro,
    akeneo,
    erp,
    dir,
    configPath,
    fixtureConfigPath,
    endpoints,
    endpointsPath,
    url(name) {
      const url = urls.get(name);
      if (!url) throw new Error(`no queue ${name}`);
      return url;
    },
    async purge() {
      await Promise.all([...urls.values()].map((QueueUrl) => aws.sqs.send(new PurgeQueueCommand({ QueueUrl }))));
    },
    context: () => createContext({ local: endpoints, configPath: fixtureConfigPath, registry: testRegistry }),
    resetSecrets,
    async stop() {
      await Promise.all([oro.stop(), akeneo.stop(), erp.stop()]);
      await aws.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** A finished run of the bin. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, when it was JSON (`--json`). */
  json: { ok: boolean; exitCode: number; result?: Record<string, unknown>; error?: { message: string } };
}

/**
 * Runs the `oro-connectors` bin (ops/bin.mjs) as a child process, asynchronously: the services it
 * talks to live in the test process's event loop. Killed after 25 s.
 */
export const spawnCli = (args: string[], options: { cwd: string; stdin?: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_REGION: "us-east-1", ...options.env };
    const child = spawn(process.execPath, [join(REPO_ROOT, "ops", "bin.mjs"), ...args], { cwd: options.cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      let json: CliRun["json"] = { ok: false, exitCode: -1 };
      try {
        json = JSON.parse(stdout);
      } catch {
        // text output
      }
      resolve({ code, stdout, stderr, json });
    });
    child.stdin.end(options.stdin ?? "");
  });
