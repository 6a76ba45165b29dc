/**
 * The Oro sandbox's integrations against Oro's IntegrationBundle and the companion bundle
 * (sandboxes/oro/README.md "Integrations", docs/reference/oro-integration.md): `integrationchannels`
 * read-only as in Oro's api.yml, `integrationstatuses` with Status.php's columns and codes and the
 * bundle's capability, `oroserverlesstransports` creating the channel; then writeRunStatus through
 * the product's Oro client over HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeAll } from "../shared/http";
import { createOroClient, type OroClient } from "../shared/oro";
import { IntegrationChannelNotFoundError, type RunStatus, writeRunStatus, writeRunStatusIfRegistered } from "../shared/oro/integration-status";
import { OroValidationError } from "../shared/oro";
import { type OroSandbox, sandboxCaller, startOroSandbox } from "../sandboxes/oro";
import { bundleConnectorTypes } from "../sandboxes/oro/resources/integration";
import { connectors } from "../functions/registry";

const CLIENT = { id: "integration-client", secret: "integration-secret" };
let oro: OroSandbox;
let api: ReturnType<typeof sandboxCaller>;
let client: OroClient;

beforeAll(async () => {
  oro = await startOroSandbox({ clientId: CLIENT.id, clientSecret: CLIENT.secret, seed: false });
  api = sandboxCaller(oro, CLIENT.id, CLIENT.secret);
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
  oro.acl.reset();
});

const transportBody = (integration: string, connectorTypes: string[], extra: Record<string, unknown> = {}) => ({
  data: {
    type: "oroserverlesstransports",
    attributes: { integration, region: "eu-west-1", ingressUrl: "https://abc.lambda-url.eu-west-1.on.aws/", connectors: connectorTypes, ...extra },
  },
});

const register = async (integration = "akeneo-main", connectorTypes = ["akeneo-products"]): Promise<{ transportId: string; channelId: string }> => {
  const res = await api.post("/oroserverlesstransports", transportBody(integration, connectorTypes));
  expect(res.status, res.text).toBe(201);
  return { transportId: res.json.data.id, channelId: res.json.data.relationships.channel.data.id };
};

const run = (overrides: Partial<RunStatus> = {}): RunStatus => ({
  integration: "akeneo-main",
  connector: "akeneo-products",
  runId: "run-2026-12-01T12:15:00Z",
  outcome: "succeeded",
  message: "",
  startedAt: "2026-12-01T12:15:00.120Z",
  finishedAt: "2026-12-01T12:16:30.980Z",
  counts: { pagesPlanned: 30, pagesDone: 30, pagesDeadLettered: 0, read: 300, written: 297, skipped: 3, failed: 0 },
  ...overrides,
});

describe("sandbox: the bundle's connector types", () => {
  it("reads the generated bundle's connectors, which are the registry's", () => {
    expect(bundleConnectorTypes()).toEqual(connectors.map((c) => c.type));
  });
});

describe("sandbox: integrationchannels (Oro's Channel, read-only in Oro's api.yml)", () => {
  it("answers 405 with Allow: OPTIONS, GET on create and PATCH/DELETE", async () => {
    const post = await api.post("/integrationchannels", { data: { type: "integrationchannels", attributes: { name: "x", type: "oro_serverless" } } });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("OPTIONS, GET");
    const { channelId } = await register();
    expect(
      (await api.patch(`/integrationchannels/${channelId}`, { data: { type: "integrationchannels", id: channelId, attributes: { name: "y" } } })).status,
    ).toBe(405);
    expect((await api.delete(`/integrationchannels/${channelId}`)).status).toBe(405);
  });

  it("serves name, type and enabled only (connectors, transport, organization, ... are excluded)", async () => {
    const { channelId } = await register("erp-main", ["erp-stock", "oro-orders-to-erp"]);
    const res = await api.get(`/integrationchannels/${channelId}`);
    expect(res.status).toBe(200);
    expect(res.json.data.attributes).toEqual({ name: "erp-main", type: "oro_serverless", enabled: true });
    expect(res.json.data.relationships).toBeUndefined();
  });

  it("filters by the indexed name; an unindexed field is not a filter", async () => {
    await register("akeneo-main");
    await register("erp-main", ["erp-stock"]);
    const res = await api.get("/integrationchannels?filter[name]=erp-main");
    expect(res.json.data.map((c: { attributes: { name: string } }) => c.attributes.name)).toEqual(["erp-main"]);
    const bad = await api.get("/integrationchannels?filter[type]=oro_serverless");
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ title: "filter constraint", source: { parameter: "filter[type]" } });
  });
});

describe("sandbox: oroserverlesstransports (the bundle's transport, creates the channel)", () => {
  it("creating one creates an enabled oro_serverless channel of the same name", async () => {
    const { transportId, channelId } = await register("akeneo-main", ["akeneo-products"]);
    const transport = await api.get(`/oroserverlesstransports/${transportId}`);
    expect(transport.json.data.attributes).toEqual({
      integration: "akeneo-main",
      region: "eu-west-1",
      ingressUrl: "https://abc.lambda-url.eu-west-1.on.aws/",
      connectors: ["akeneo-products"],
    });
    expect(oro.store.list("integrationchannels").map((c) => [c.id, c.attributes.name, c.attributes.connectors])).toEqual([
      [channelId, "akeneo-main", ["akeneo-products"]],
    ]);
  });

  it("updating the connectors updates the channel's, and the name cannot change", async () => {
    const { transportId, channelId } = await register("erp-main", ["erp-stock"]);
    const res = await api.patch(`/oroserverlesstransports/${transportId}`, {
      data: { type: "oroserverlesstransports", id: transportId, attributes: { connectors: ["erp-stock", "oro-orders-to-erp"] } },
    });
    expect(res.status, res.text).toBe(200);
    expect(oro.store.mustTable("integrationchannels").get(channelId)?.attributes.connectors).toEqual(["erp-stock", "oro-orders-to-erp"]);
    expect(oro.store.list("integrationchannels")).toHaveLength(1);
    const rename = await api.patch(`/oroserverlesstransports/${transportId}`, {
      data: { type: "oroserverlesstransports", id: transportId, attributes: { integration: "other" } },
    });
    expect(rename.status).toBe(400);
    expect(rename.json.errors[0]).toMatchObject({ title: "extra fields constraint", detail: 'This form should not contain extra fields: "integration".' });
  });

  it("refuses a connector the bundle does not know, a bad region and a second transport of the same integration", async () => {
    const bad = await api.post("/oroserverlesstransports", transportBody("x-main", ["akeneo-products", "no-such-connector"], { region: "Europe" }));
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { title: string; source?: { pointer?: string } }) => [e.title, e.source?.pointer])).toEqual([
      ["regex constraint", "/data/attributes/region"],
      ["choice constraint", "/data/attributes/connectors/1"],
    ]);
    await register("akeneo-main");
    const twice = await api.post("/oroserverlesstransports", transportBody("akeneo-main", ["akeneo-products"]));
    expect(twice.status).toBe(400);
    expect(twice.json.errors[0]).toMatchObject({ title: "unique entity constraint", source: { pointer: "/data/attributes/integration" } });
    expect(oro.store.list("integrationchannels")).toHaveLength(1);
  });

  it("needs the capability oro_serverless_integration_register, not the entity permission", async () => {
    oro.acl.denyCapability("oro_serverless_integration_register");
    const res = await api.post("/oroserverlesstransports", transportBody("akeneo-main", ["akeneo-products"]));
    expect(res.status).toBe(403);
    expect(res.json.errors[0]).toMatchObject({ title: "access denied exception", detail: "No access to this type of entities." });
    oro.acl.reset();
    oro.acl.deny({ type: "oroserverlesstransports", permission: "CREATE" });
    expect((await api.post("/oroserverlesstransports", transportBody("akeneo-main", ["akeneo-products"]))).status).toBe(201);
  });
});

describe("sandbox: integrationstatuses (Oro's Status, exposed by the bundle)", () => {
  const statusBody = (channelId: string, attributes: Record<string, unknown>) => ({
    data: {
      type: "integrationstatuses",
      attributes: { code: "1", connector: "akeneo-products", message: "ok", ...attributes },
      relationships: { channel: { data: { type: "integrationchannels", id: channelId } } },
    },
  });

  it("accepts only Oro's codes 1 (completed) and 2 (failed)", async () => {
    const { channelId } = await register();
    expect((await api.post("/integrationstatuses", statusBody(channelId, { code: "2" }))).status).toBe(201);
    const bad = await api.post("/integrationstatuses", statusBody(channelId, { code: "completed" }));
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ title: "choice constraint", source: { pointer: "/data/attributes/code" } });
  });

  it("limits connector to 255 characters and needs message and channel (Status.php columns)", async () => {
    const { channelId } = await register();
    const long = await api.post("/integrationstatuses", statusBody(channelId, { connector: "c".repeat(256) }));
    expect(long.json.errors[0]).toMatchObject({
      title: "length constraint",
      detail: "This value is too long. It should have 255 characters or less.",
      source: { pointer: "/data/attributes/connector" },
    });
    const noMessage = await api.post("/integrationstatuses", statusBody(channelId, { message: "" }));
    expect(noMessage.json.errors[0]).toMatchObject({ title: "not blank constraint", source: { pointer: "/data/attributes/message" } });
    const noChannel = await api.post("/integrationstatuses", {
      data: { type: "integrationstatuses", attributes: { code: "1", connector: "akeneo-products", message: "ok" } },
    });
    expect(noChannel.json.errors[0]).toMatchObject({ title: "not blank constraint", source: { pointer: "/data/relationships/channel/data" } });
  });

  it("refuses a connector the channel does not have (the bundle's ValidateIntegrationStatus)", async () => {
    const { channelId } = await register("akeneo-main", ["akeneo-products"]);
    const res = await api.post("/integrationstatuses", statusBody(channelId, { connector: "erp-stock" }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toMatchObject({
      title: "integration status constraint",
      detail: 'The integration "akeneo-main" has no connector "erp-stock".',
      source: { pointer: "/data/attributes/connector" },
    });
  });

  it("is history: update and delete answer 405", async () => {
    const { channelId } = await register();
    const created = await api.post("/integrationstatuses", statusBody(channelId, {}));
    const id = created.json.data.id;
    expect((await api.patch(`/integrationstatuses/${id}`, { data: { type: "integrationstatuses", id, attributes: { message: "x" } } })).status).toBe(405);
    const del = await api.delete(`/integrationstatuses/${id}`);
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("OPTIONS, GET");
  });

  it("needs the capability oro_serverless_integration_status_create", async () => {
    const { channelId } = await register();
    oro.acl.denyCapability("oro_serverless_integration_status_create");
    expect((await api.post("/integrationstatuses", statusBody(channelId, {}))).status).toBe(403);
    expect(oro.store.list("integrationstatuses")).toHaveLength(0);
    // Reading stays allowed: the capability guards create only.
    expect((await api.get("/integrationstatuses")).status).toBe(200);
  });
});

describe("writeRunStatus through the Oro client", () => {
  it("writes a succeeded run as a completed status with the counts in data, dated at the run's end", async () => {
    const { channelId } = await register();
    await writeRunStatus(client, run());
    const [status] = oro.store.list("integrationstatuses");
    expect(status?.attributes).toEqual({
      code: "1",
      connector: "akeneo-products",
      message: "[succeeded] Stats: read [300], written [297], skipped [3], failed [0]; pages [30/30], dead-lettered [0]",
      date: "2026-12-01T12:16:30Z",
      data: {
        runId: "run-2026-12-01T12:15:00Z",
        outcome: "succeeded",
        startedAt: "2026-12-01T12:15:00.120Z",
        finishedAt: "2026-12-01T12:16:30.980Z",
        counts: { pagesPlanned: 30, pagesDone: 30, pagesDeadLettered: 0, read: 300, written: 297, skipped: 3, failed: 0 },
      },
    });
    expect(status?.relationships.channel).toEqual({ type: "integrationchannels", id: channelId });
  });

  it("writes partly failed and failed runs as failed statuses, the message after the stats", async () => {
    await register();
    await writeRunStatus(
      client,
      run({
        runId: "r1",
        outcome: "partly failed",
        message: "1 page dead-lettered: Oro answered 400",
        counts: { ...run().counts, pagesDone: 29, pagesDeadLettered: 1 },
      }),
    );
    await writeRunStatus(client, run({ runId: "r2", outcome: "failed", message: "Akeneo answered 401" }));
    const statuses = oro.store.list("integrationstatuses");
    expect(statuses.map((s) => s.attributes.code)).toEqual(["2", "2"]);
    expect(statuses[0]?.attributes.message).toBe(
      "[partly failed] Stats: read [300], written [297], skipped [3], failed [0]; pages [29/30], dead-lettered [1]\n1 page dead-lettered: Oro answered 400",
    );
    // Oro's "last status" (ChannelRepository::getLastStatusForConnector(..., STATUS_COMPLETED)) reads the last completed one.
    const lastCompleted = await api.get("/integrationstatuses?filter[connector]=akeneo-products&filter[code]=1&sort=-date&page[size]=1");
    expect(lastCompleted.json.data).toEqual([]);
  });

  it("picks the channel of type oro_serverless by name, not another type's channel of that name", async () => {
    oro.store
      .mustTable("integrationchannels")
      .put({ type: "integrationchannels", id: "90", attributes: { name: "akeneo-main", type: "akeneo", enabled: true }, relationships: {} });
    await expect(writeRunStatus(client, run())).rejects.toBeInstanceOf(IntegrationChannelNotFoundError);
    const { channelId } = await register();
    await writeRunStatus(client, run());
    expect(oro.store.list("integrationstatuses").map((s) => s.relationships.channel)).toEqual([{ type: "integrationchannels", id: channelId }]);
  });

  it('writeRunStatusIfRegistered answers "no channel" for an unregistered integration and still throws Oro\'s 400', async () => {
    expect(await writeRunStatusIfRegistered(client, run())).toBe("no channel");
    expect(oro.store.list("integrationstatuses")).toEqual([]);
    await register("akeneo-main", ["akeneo-products"]);
    expect(await writeRunStatusIfRegistered(client, run())).toBe("written");
    // A connector the channel does not list yet (registered before the connector was deployed).
    await expect(writeRunStatusIfRegistered(client, run({ connector: "erp-stock" }))).rejects.toBeInstanceOf(OroValidationError);
    expect(oro.store.list("integrationstatuses")).toHaveLength(1);
  });

  it("names the fix when the integration is not registered", async () => {
    await expect(writeRunStatus(client, run({ integration: "erp-main" }))).rejects.toThrow(
      'No Oro integration channel of type "oro_serverless" is named "erp-main": register it with `ops oro-integration register` (docs/oro-integration.md).',
    );
  });
});
