/**
 * registerChannels (shared/oro/integration-channels.ts) and the status write's pieces
 * (shared/oro/integration-status.ts) with exact results, against the Oro sandbox over HTTP
 * (issue 16): what each call answers and what Oro holds after it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeAll } from "../shared/http";
import { createOroClient, type OroClient } from "../shared/oro";
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
