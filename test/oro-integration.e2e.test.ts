import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path, { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack } from "../local-stack/stack";
import type { LocalStack } from "../local-stack/stack";
import { renderSecrets } from "../local-stack/settings";
import { run } from "../ops/cli";
import type { OpsIo } from "../ops/io";
import { generateCatalog, identifierOf, type CatalogOptions } from "../sandboxes/akeneo/catalog";
import { sandboxCaller } from "../sandboxes/oro";
import { type BundleSyncRun, bundleSyncProcessor } from "./helpers/bundle-sync-processor";

/**
 * The integration in Oro, end to end on the local stack (docs/oro-integration.md):
 * `ops oro-integration register` makes the deploy config's integrations channels of the Oro
 * sandbox; the channel's "Schedule sync" runs the bundle's real PHP sync processor, which signs a
 * request to the local webhook ingress; the ingress puts the schedule's window message on the
 * akeneo-products queue; the connector lands the Akeneo products in Oro; the run's status lands in
 * Oro through writeRunStatus.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const ENSURE_PHP_TIMEOUT_MS = 180_000;

let stack: LocalStack;
let dir: string;
let endpointsFile: string;
const runs: BundleSyncRun[] = [];

beforeAll(async () => {
  const php = spawnSync("sh", [path.join(ROOT, "scripts", "ensure-php.sh")], { encoding: "utf8", timeout: ENSURE_PHP_TIMEOUT_MS });
  if (php.status !== 0) throw new Error(`scripts/ensure-php.sh failed:\n${php.stderr}${php.stdout}`);
  dir = mkdtempSync(join(tmpdir(), "oro-integration-e2e-"));
  endpointsFile = join(dir, "endpoints.json");
  stack = await startLocalStack({ ephemeralPorts: true, endpointsFile, fireSchedulesAtStart: false, backoffBaseSeconds: 0 });
  const secretName = stack.plan.ingress?.secretName ?? "";
  const signing = renderSecrets(stack.settings, stack.sandboxes.urls)[secretName] as { secret: string };
  stack.sandboxes.oro?.integrationSync.setProcessor(bundleSyncProcessor(signing.secret, runs));
}, ENSURE_PHP_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const io = (): OpsIo & { stdout: string[]; stderr: string[] } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    errRaw: () => undefined,
    stderrIsTTY: false,
    readStdin: async () => "",
    env: {},
  };
};

describe("Oro integration on the local stack", () => {
  it("has each integration of the deploy config as a channel with its connectors; ops oro-integration register keeps them in step", async () => {
    // The local stack registered them at start, through the same code as the command.
    const channels = stack.sandboxes.oro?.store.list("integrationchannels") ?? [];
    expect(channels.map((c) => [c.attributes.name, c.attributes.type, c.attributes.connectors])).toEqual([
      ["akeneo-main", "oro_serverless", ["akeneo-products"]],
      ["erp-main", "oro_serverless", ["oro-orders-to-erp", "erp-stock"]],
    ]);
    const registered = (out: ReturnType<typeof io>) =>
      JSON.parse(out.stdout.join("")).result as { ingressUrl: string; integrations: { integration: string; action: string; connectors: string[] }[] };
    const first = io();
    expect(await run(["oro-integration", "register", "--json", "--local", "--endpoints", endpointsFile], first), first.stderr.join("\n")).toBe(0);
    expect(registered(first).ingressUrl).toBe(stack.webhookUrl);
    expect(registered(first).integrations.map((i) => [i.integration, i.action, i.connectors])).toEqual([
      ["akeneo-main", "unchanged", ["akeneo-products"]],
      ["erp-main", "unchanged", ["oro-orders-to-erp", "erp-stock"]],
    ]);
    // erp-main's transport drifted in Oro (an old deploy, another region): the command puts it back, and its channel's connectors.
    const transports = stack.sandboxes.oro?.store.mustTable("oroserverlesstransports");
    const erp = stack.sandboxes.oro?.store.list("oroserverlesstransports").find((t) => t.attributes.integration === "erp-main");
    if (!transports || !erp) throw new Error("erp-main has no transport");
    transports.put({ ...erp, attributes: { ...erp.attributes, region: "eu-west-1", connectors: ["erp-stock"] } });
    const dry = io();
    expect(await run(["oro-integration", "register", "erp-main", "--dry-run", "--json", "--local", "--endpoints", endpointsFile], dry)).toBe(0);
    expect(registered(dry).integrations.map((i) => i.action)).toEqual(["would update"]);
    const again = io();
    expect(await run(["oro-integration", "register", "--json", "--local", "--endpoints", endpointsFile], again)).toBe(0);
    expect(registered(again).integrations.map((i) => i.action)).toEqual(["unchanged", "updated"]);
    expect(transports.get(erp.id)?.attributes).toMatchObject({ region: "us-east-1", connectors: ["oro-orders-to-erp", "erp-stock"] });
    expect(stack.sandboxes.oro?.store.list("integrationchannels").map((c) => c.attributes.connectors)).toEqual([
      ["akeneo-products"],
      ["oro-orders-to-erp", "erp-stock"],
    ]);
  });

  it("Schedule sync on the akeneo-main channel starts a window run on AWS that lands the Akeneo products in Oro, and its status lands in Oro", async () => {
    const oro = stack.sandboxes.oro;
    if (!oro) throw new Error("no Oro sandbox");
    // Products changed a minute ago in Akeneo: inside the window ending at the Schedule sync's time.
    const catalog: CatalogOptions = { count: 25, prefix: "SYNC-", updatedAt: new Date(Date.now() - 60_000).toISOString(), families: ["default_family"] };
    await stack.sandboxes.akeneo?.admin.seed(catalog);
    const channel = oro.store.list("integrationchannels").find((c) => c.attributes.name === "akeneo-main");
    if (!channel) throw new Error("akeneo-main is not registered");

    // The button: Oro's IntegrationController::scheduleAction answers, then the queued job runs the channel type's sync processor.
    const clicked = await fetch(`${oro.url}/admin/integration/schedule/${channel.id}`, { method: "POST" });
    expect(clicked.status).toBe(200);
    expect(await clicked.json()).toEqual({
      successful: true,
      message: 'The synchronization has been scheduled. <a href="/admin/message-queue/jobs">Check job progress</a>.',
    });
    await oro.integrationSync.idle();
    expect(oro.integrationSync.jobs.map((j) => [j.channelId, j.status])).toEqual([[channel.id, "success"]]);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.log.map(([level, message]) => [level, message])).toEqual([["info", "Schedule sync: run requested on AWS."]]);

    await stack.idle(60_000);
    const wanted = generateCatalog(catalog)
      .map((p) => String(identifierOf(p)).toUpperCase())
      .sort();
    const landed = oro.store
      .list("products")
      .map((p) => String(p.attributes.sku).toUpperCase())
      .filter((sku) => sku.startsWith("SYNC-"))
      .sort();
    expect(landed).toEqual(wanted);
    expect(landed).toHaveLength(25);
    // Exactly one window run came from it: the connector's queue and DLQ are empty, nothing dead-lettered.
    const akeneo = stack.connectors.find((c) => c.resolved.connector === "akeneo-products");
    expect(await stack.depth(akeneo?.dlqUrl ?? "")).toEqual({ visible: 0, inFlight: 0 });

    // The finished run's status, written by the connector that finished the run (the run ledger's
    // listener, shared/runtime/run-status-report.ts), read as Oro's statuses grid reads it.
    const connection = { clientId: stack.settings.sandboxes.oro.clientId, clientSecret: stack.settings.sandboxes.oro.clientSecret };
    const api = sandboxCaller(oro, connection.clientId, connection.clientSecret);
    const statuses = await api.get(`/integrationstatuses?filter[channel]=${channel.id}&sort=-date`);
    expect(statuses.status).toBe(200);
    expect(
      statuses.json.data.map(
        (s: { attributes: { code: string; connector: string; data: { outcome: string; counts: { pagesDone: number; written: number } } } }) => [
          s.attributes.code,
          s.attributes.connector,
          s.attributes.data.outcome,
          s.attributes.data.counts.pagesDone,
          s.attributes.data.counts.written,
        ],
      ),
    ).toEqual([["1", "akeneo-products", "succeeded", 1, 25]]);
  }, 120_000);

  it("a Schedule sync the ingress refuses (a connector without a schedule route) fails the Oro job with the ingress's reason", async () => {
    const oro = stack.sandboxes.oro;
    if (!oro) throw new Error("no Oro sandbox");
    const channel = oro.store.list("integrationchannels").find((c) => c.attributes.name === "akeneo-main");
    if (!channel) throw new Error("akeneo-main is not registered");
    // The channel lists a connector this deployment does not run for akeneo-main (an Oro admin's edit).
    oro.store.mustTable("integrationchannels").put({ ...channel, attributes: { ...channel.attributes, connectors: ["akeneo-products", "erp-stock"] } });
    const before = runs.length;
    const clicked = await fetch(`${oro.url}/admin/integration/schedule/${channel.id}`, { method: "POST" });
    expect(clicked.status).toBe(200);
    await oro.integrationSync.idle();
    expect(oro.integrationSync.jobs.at(-1)?.status).toBe("failed");
    const log = runs[before]?.log.map(([level, message]) => [level, message]);
    expect(log).toEqual([
      ["info", "Schedule sync: run requested on AWS."],
      [
        "error",
        'Schedule sync: the ingress answered 400: {"error":"connector \\"erp-stock\\" of integration \\"akeneo-main\\" is not deployed with a schedule here: nothing to start (deploy config, docs/oro-integration.md)"}',
      ],
    ]);
    await stack.idle(60_000);
    oro.store.mustTable("integrationchannels").put(channel);
  }, 120_000);
});
