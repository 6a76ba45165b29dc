/**
 * registerChannels (shared/oro/integration-channels.ts) and the status write's pieces
 * (shared/oro/integration-status.ts) with exact results, against the Oro sandbox over HTTP
 * (issue 16): what each call answers and what Oro holds after it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ValidationError } from "../shared/errors";
import { closeAll } from "../shared/http";
import { createOroClient, OroValidationError, type OroClient } from "../shared/oro";
import { IntegrationChannelNotFoundError, type RunStatus, writeRunStatus } from "../shared/oro/integration-status";
import { registerChannels, TRANSPORT_TYPE } from "../shared/oro/integration-channels";
import { type OroSandbox, startOroSandbox } from "../sandboxes/oro";

const CLIENT = { id: "integration-exact-client", secret: "integration-exact-secret" };
const INGRESS = "https://abc.lambda-url.eu-west-1.on.aws/";
let oro: OroSandbox;
let client: OroClient;

beforeAll(async () => {
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
  client = createOroClient({
    getConnection: async () => ({ baseUrl: oro.url, apiPrefix: "/admin/api", clientId: CLIENT.id, clientSecret: CLIENT.secret }),
    retry: { attempts: 1 },
  });
});
afterAll(async () => {
  await oro.stop();
  await closeAll();
});
beforeEach(async () => {
  await oro.admin.reset({ seed: false });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const AKENEO = { name: "akeneo-main", connectors: ["akeneo-products"] };
const ERP = { name: "erp-main", connectors: ["oro-orders-to-erp", "erp-stock"] };
const OPTIONS = { region: "eu-west-1", ingressUrl: INGRESS };

/** The transports and channels Oro holds: [integration, region, ingressUrl, connectors] and [name, type, connectors]. */
const held = () => ({
  transports: oro.store
    .list(TRANSPORT_TYPE)
    .map((t) => [t.id, t.attributes.integration, t.attributes.region, t.attributes.ingressUrl, t.attributes.connectors]),
  channels: oro.store.list("integrationchannels").map((c) => [c.id, c.attributes.name, c.attributes.type, c.attributes.connectors]),
});

describe("registerChannels", () => {
  it("dry run on an empty Oro: 'would create' for each, without ids, and Oro unchanged", async () => {
    expect(await registerChannels(client, [AKENEO, ERP], { ...OPTIONS, dryRun: true })).toEqual([
      { integration: "akeneo-main", connectors: ["akeneo-products"], action: "would create" },
      { integration: "erp-main", connectors: ["oro-orders-to-erp", "erp-stock"], action: "would create" },
    ]);
    expect(held()).toEqual({ transports: [], channels: [] });
  });

  it("creates one transport (and so one channel) per integration and answers their ids; a second call leaves them unchanged", async () => {
    const created = await registerChannels(client, [AKENEO, ERP], OPTIONS);
    const { transports, channels } = held();
    expect(transports.map((t) => t.slice(1))).toEqual([
      ["akeneo-main", "eu-west-1", INGRESS, ["akeneo-products"]],
      ["erp-main", "eu-west-1", INGRESS, ["oro-orders-to-erp", "erp-stock"]],
    ]);
    expect(channels.map((c) => c.slice(1))).toEqual([
      ["akeneo-main", "oro_serverless", ["akeneo-products"]],
      ["erp-main", "oro_serverless", ["oro-orders-to-erp", "erp-stock"]],
    ]);
    expect(created).toEqual([
      { integration: "akeneo-main", connectors: ["akeneo-products"], action: "created", transportId: transports[0]?.[0], channelId: channels[0]?.[0] },
      {
        integration: "erp-main",
        connectors: ["oro-orders-to-erp", "erp-stock"],
        action: "created",
        transportId: transports[1]?.[0],
        channelId: channels[1]?.[0],
      },
    ]);
    const before = held();
    const again = await registerChannels(client, [AKENEO, ERP], OPTIONS);
    expect(again).toEqual(created.map((r) => ({ ...r, action: "unchanged" })));
    expect(held()).toEqual(before);
    // Unchanged in a dry run too, and then without the channel id (a dry run reads no channel).
    expect(await registerChannels(client, [AKENEO], { ...OPTIONS, dryRun: true })).toEqual([
      { integration: "akeneo-main", connectors: ["akeneo-products"], action: "unchanged", transportId: created[0]?.transportId },
    ]);
  });

  const drifts: Array<[string, typeof ERP, typeof OPTIONS]> = [
    ["another region", ERP, { ...OPTIONS, region: "eu-central-1" }],
    ["another ingress URL", ERP, { ...OPTIONS, ingressUrl: "https://def.lambda-url.eu-west-1.on.aws/" }],
    ["one connector fewer", { name: "erp-main", connectors: ["oro-orders-to-erp"] }, OPTIONS],
    ["the same connectors in another order", { name: "erp-main", connectors: ["erp-stock", "oro-orders-to-erp"] }, OPTIONS],
    ["one connector replaced", { name: "erp-main", connectors: ["oro-orders-to-erp", "akeneo-products"] }, OPTIONS],
    ["one connector more", { name: "erp-main", connectors: ["oro-orders-to-erp", "erp-stock", "akeneo-products"] }, OPTIONS],
  ];
  for (const [what, wanted, options] of drifts) {
    it(`${what}: 'would update' in a dry run (Oro unchanged), then 'updated' with the deploy config's values`, async () => {
      const [first] = await registerChannels(client, [ERP], OPTIONS);
      const before = held();
      expect(await registerChannels(client, [wanted], { ...options, dryRun: true })).toEqual([
        { integration: "erp-main", connectors: wanted.connectors, action: "would update", transportId: first?.transportId },
      ]);
      expect(held()).toEqual(before);
      expect(await registerChannels(client, [wanted], options)).toEqual([
        { integration: "erp-main", connectors: wanted.connectors, action: "updated", transportId: first?.transportId, channelId: first?.channelId },
      ]);
      expect(held()).toEqual({
        transports: [[first?.transportId, "erp-main", options.region, options.ingressUrl, wanted.connectors]],
        channels: [[first?.channelId, "erp-main", "oro_serverless", wanted.connectors]],
      });
    });
  }
});

describe("registerChannels with more transports than a page", () => {
  it("finds an integration's transport by its name among 12 (not on the first page of all of them)", async () => {
    const others = Array.from({ length: 11 }, (_, i) => ({ name: `other-${String(i).padStart(2, "0")}`, connectors: ["erp-stock"] }));
    await registerChannels(client, [...others, ERP], OPTIONS);
    const [again] = await registerChannels(client, [ERP], OPTIONS);
    expect(again?.action).toBe("unchanged");
    expect(oro.store.list(TRANSPORT_TYPE)).toHaveLength(12);
  });
});

const RUN: RunStatus = {
  integration: "akeneo-main",
  connector: "akeneo-products",
  runId: "run-9",
  outcome: "succeeded",
  message: "",
  startedAt: "2026-12-01T12:15:00.120Z",
  finishedAt: "2026-12-01T12:16:30.980Z",
  counts: { pagesPlanned: 1, pagesDone: 1, pagesDeadLettered: 0, read: 5, written: 5, skipped: 0, failed: 0 },
};

describe("writeRunStatus: what it sends and what it refuses", () => {
  it("sends the date in Oro's format (seconds, Z) and the window in data", async () => {
    await registerChannels(client, [AKENEO], OPTIONS);
    const create = vi.spyOn(client, "create");
    const window = { from: "2026-12-01T12:00:00.000Z", to: "2026-12-01T12:15:00.000Z" };
    await writeRunStatus(client, { ...RUN, window });
    const sent = create.mock.calls.map(([doc]) => (doc.attributes as { date: string }).date);
    expect(sent).toEqual(["2026-12-01T12:16:30Z"]);
    const [status] = oro.store.list("integrationstatuses");
    expect((status?.attributes.data as { window: unknown }).window).toEqual(window);
  });

  it("refuses a finishedAt that is no date with a ValidationError naming it, and writes nothing", async () => {
    await registerChannels(client, [AKENEO], OPTIONS);
    const written = writeRunStatus(client, { ...RUN, finishedAt: "yesterday" });
    await expect(written).rejects.toBeInstanceOf(ValidationError);
    await expect(written).rejects.toThrow('RunStatus.finishedAt is not a date: "yesterday".');
    expect(oro.store.list("integrationstatuses")).toEqual([]);
  });

  it("refuses an empty or 256-character connector before asking Oro; 255 characters reach Oro (which refuses an unknown connector)", async () => {
    await registerChannels(client, [AKENEO], OPTIONS);
    await oro.admin.resetStats();
    for (const connector of ["", "c".repeat(256)]) {
      const written = writeRunStatus(client, { ...RUN, connector });
      await expect(written, `${connector.length}`).rejects.toBeInstanceOf(ValidationError);
      await expect(written).rejects.toThrow("RunStatus.connector must be 1-255 characters (Status.connector is string(255)).");
    }
    expect(oro.stats().byRoute).toEqual({});
    await expect(writeRunStatus(client, { ...RUN, connector: "c".repeat(255) })).rejects.toBeInstanceOf(OroValidationError);
    expect(oro.store.list("integrationstatuses")).toEqual([]);
  });

  it("finds the channel by name among 12 channels of that name (Oro's names are not unique; 11 of another type)", async () => {
    const table = oro.store.mustTable("integrationchannels");
    for (let i = 0; i < 11; i++) {
      table.put({ type: "integrationchannels", id: String(900 + i), attributes: { name: "akeneo-main", type: "akeneo", enabled: true }, relationships: {} });
    }
    await expect(writeRunStatus(client, RUN)).rejects.toBeInstanceOf(IntegrationChannelNotFoundError);
    const [registered] = await registerChannels(client, [AKENEO], OPTIONS);
    await writeRunStatus(client, RUN);
    expect(oro.store.list("integrationstatuses").map((s) => s.relationships.channel)).toEqual([{ type: "integrationchannels", id: registered?.channelId }]);
  });

  it("asks Oro for the channel by name: found behind 20 channels of other names (more than the lookup's page)", async () => {
    const table = oro.store.mustTable("integrationchannels");
    for (let i = 0; i < 20; i++) {
      table.put({
        type: "integrationchannels",
        id: String(800 + i),
        attributes: { name: `other-${i}`, type: "oro_serverless", enabled: true },
        relationships: {},
      });
    }
    const [registered] = await registerChannels(client, [AKENEO], OPTIONS);
    await writeRunStatus(client, RUN);
    expect(oro.store.list("integrationstatuses").map((s) => s.relationships.channel)).toEqual([{ type: "integrationchannels", id: registered?.channelId }]);
  });

  it("passes the caller's signal to the channel lookup and to the create: aborted before either, nothing is written", async () => {
    await registerChannels(client, [AKENEO], OPTIONS);
    await oro.admin.resetStats();
    await expect(writeRunStatus(client, RUN, { signal: AbortSignal.abort() })).rejects.toThrow("the call hit its deadline");
    expect(oro.stats().byRoute).toEqual({});
    // Aborted once the lookup answered: the create is not sent.
    const controller = new AbortController();
    const list = client.list.bind(client);
    vi.spyOn(client, "list").mockImplementation(async (...args: Parameters<typeof list>) => {
      const page = await list(...args);
      controller.abort();
      return page;
    });
    await expect(writeRunStatus(client, RUN, { signal: controller.signal })).rejects.toThrow("the call hit its deadline");
    expect(oro.stats().byRoute["POST /admin/api/integrationstatuses"]).toBeUndefined();
    expect(oro.store.list("integrationstatuses")).toEqual([]);
  });
});
