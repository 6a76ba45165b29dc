import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connectors } from "../functions/registry";
import {
  DeployConfigError,
  REPO_ROOT,
  loadDeployConfig,
  resolveConnectorSettings,
  resolveShared,
  resolveWebhookRoutes,
  scheduleExpressionProblem,
} from "../infra/config";
import type { DeployConfig } from "../infra/config";
import { REFERENCE_CONFIG, fixtureRegistry } from "./fixtures/infra/registry";

const reference = (): DeployConfig => JSON.parse(readFileSync(REFERENCE_CONFIG, "utf8")) as DeployConfig;

/** A minimal valid config with one integration of the fixture registry. */
const erpConfig = (connectorsConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  oroSecretName: "oro",
  integrations: [{ name: "erp-main", type: "erp", secretName: "erp", connectors: connectorsConfig }],
  ...extra,
});

/** The issues of a config the loader rejects, as `path: message` lines. */
const problems = (config: unknown, registry = fixtureRegistry): string[] => {
  try {
    loadDeployConfig(config, registry);
  } catch (error) {
    expect(error).toBeInstanceOf(DeployConfigError);
    return (error as DeployConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("the config was accepted");
};

describe("Function: loadDeployConfig", () => {
  it("accepts the shipped deploy.config.json against functions/registry.ts", () => {
    const config = loadDeployConfig(join(REPO_ROOT, "deploy.config.json"), { connectors });
    expect(config.oroSecretName).toBeTruthy();
  });

  it("accepts the reference config against the fixture registry", () => {
    expect(loadDeployConfig(REFERENCE_CONFIG, fixtureRegistry).integrations).toHaveLength(2);
  });

  it("rejects the reference config against an empty registry, naming each unregistered connector", () => {
    const found = problems(reference(), { connectors: [] });
    expect(found).toContain(
      "integrations[0].connectors.akeneo-products: connector 'akeneo-products' is not in the registry (functions/registry.ts; registered: none yet): add it there before enabling it here",
    );
    expect(found.filter((p) => p.includes("is not in the registry"))).toHaveLength(3);
    expect(found).toContainEqual(expect.stringMatching(/^integrations\[1\]\.type: unknown integration type 'erp'/));
  });

  it("reports every shape problem at once, each with its field path", () => {
    const found = problems({
      oroSecretName: "oro",
      alarmEmail: "not-an-email",
      integrations: [
        {
          name: "Bad Name",
          type: "erp",
          secretName: "erp",
          connectors: {
            "erp-stock": { batchSize: "10", maxConcurrency: 1, schedule: "rate(1 minutes)", timeZone: "Mars/Base", bogus: true },
          },
        },
      ],
    });
    const paths = found.map((p) => p.split(": ")[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        "alarmEmail",
        "integrations[0].name",
        "integrations[0].connectors.erp-stock.batchSize",
        "integrations[0].connectors.erp-stock.maxConcurrency",
        "integrations[0].connectors.erp-stock.schedule",
        "integrations[0].connectors.erp-stock.timeZone",
        "integrations[0].connectors.erp-stock",
      ]),
    );
    expect(found).toContain("integrations[0].connectors.erp-stock.schedule: write rate(1 minute): the unit is singular for 1");
    expect(found.find((p) => p.startsWith("integrations[0].connectors.erp-stock: "))).toMatch(/bogus/);
  });

  it("rejects a connector of another integration type", () => {
    expect(problems({ oroSecretName: "oro", integrations: [{ name: "pim", type: "akeneo", secretName: "a", connectors: { "erp-stock": {} } }] })).toEqual([
      "integrations[0].connectors.erp-stock: connector 'erp-stock' belongs to integration type 'erp', not 'akeneo'",
    ]);
  });

  it("applies the FIFO rules: batch size <= 10 and no batching window", () => {
    expect(problems(erpConfig({ "erp-stock": { fifo: true, batchSize: 20, batchingWindowSeconds: 2 } }))).toEqual([
      "integrations[0].connectors.erp-stock.batchSize: erp-main/erp-stock uses a FIFO queue: batchSize 20 exceeds the FIFO maximum of 10",
      "integrations[0].connectors.erp-stock.batchingWindowSeconds: erp-main/erp-stock uses a FIFO queue: FIFO event source mappings take no batching window (got 2)",
    ]);
  });

  it("refuses a cron schedule whose sync window cannot be computed, unless windowMinutes is set", () => {
    expect(problems(erpConfig({ "erp-stock": { schedule: "cron(0 12 L * ? *)" } }))).toEqual([
      expect.stringMatching(/^integrations\[0\]\.connectors\.erp-stock\.schedule: erp-main\/erp-stock: .*L, W or #.*settings\.windowMinutes/),
    ]);
    expect(() =>
      loadDeployConfig(erpConfig({ "erp-stock": { schedule: "cron(0 12 L * ? *)", settings: { windowMinutes: 1440 } } }), fixtureRegistry),
    ).not.toThrow();
    expect(() =>
      loadDeployConfig(erpConfig({ "erp-stock": { schedule: "cron(0/15 6-22 ? * MON-SAT *)", timeZone: "Europe/Berlin" } }), fixtureRegistry),
    ).not.toThrow();
  });

  it("requires a batching window for a standard batch above 10", () => {
    expect(problems(erpConfig({ "erp-stock": { batchSize: 50 } }))).toEqual([
      "integrations[0].connectors.erp-stock.batchingWindowSeconds: erp-main/erp-stock: batchSize 50 > 10 needs batchingWindowSeconds >= 1 (got 0)",
    ]);
    expect(() => loadDeployConfig(erpConfig({ "erp-stock": { batchSize: 50, batchingWindowSeconds: 1 } }), fixtureRegistry)).not.toThrow();
  });

  it("refuses maxReceiveCount below 5 unless allowLowMaxReceiveCount is set", () => {
    expect(problems(erpConfig({ "erp-stock": { maxReceiveCount: 3 } }))[0]).toMatch(
      /^integrations\[0\]\.connectors\.erp-stock\.maxReceiveCount: .*allowLowMaxReceiveCount/,
    );
    expect(() => loadDeployConfig(erpConfig({ "erp-stock": { maxReceiveCount: 3, allowLowMaxReceiveCount: true } }), fixtureRegistry)).not.toThrow();
  });

  it("refuses a visibility timeout below 6x the function timeout, with the numbers", () => {
    expect(problems(erpConfig({ "erp-stock": { timeoutSeconds: 100, visibilityTimeoutSeconds: 300 } }))).toEqual([
      "integrations[0].connectors.erp-stock.visibilityTimeoutSeconds: erp-main/erp-stock: visibility timeout 300 s is below 6 x the function timeout 100 s = 600 s",
    ]);
  });

  it("checks that a schedule's message type is one the connector accepts", () => {
    expect(problems(erpConfig({ "oro-orders-to-erp": { schedule: "rate(1 hour)" } }))).toEqual([
      "integrations[0].connectors.oro-orders-to-erp.schedule: erp-main/oro-orders-to-erp: the schedule sends message type 'window', which the connector does not accept (accepts: order.created)",
    ]);
  });

  it("keeps the keys the stack writes out of settings", () => {
    expect(problems(erpConfig({ "erp-stock": { settings: { windowOverlapMinutes: 1 } } }))[0]).toMatch(/settings: windowOverlapMinutes is set by the stack/);
  });

  it("needs a topic claimed by two enabled connectors to be pinned, to an enabled connector that accepts it", () => {
    const twice = {
      oroSecretName: "oro",
      webhook: { secretName: "hook" },
      integrations: [
        { name: "erp-a", type: "erp", secretName: "a", connectors: { "oro-orders-to-erp": {} } },
        { name: "erp-b", type: "erp", secretName: "b", connectors: { "oro-orders-to-erp": {} } },
      ],
    };
    expect(problems(twice)).toEqual([
      "webhook.topics: topic 'order.created' is claimed by erp-a/oro-orders-to-erp, erp-b/oro-orders-to-erp; pin one under webhook.topics[\"order.created\"]",
    ]);
    const pinned = { ...twice, webhook: { secretName: "hook", topics: { "order.created": { integration: "erp-b", connector: "oro-orders-to-erp" } } } };
    expect(resolveWebhookRoutes(loadDeployConfig(pinned, fixtureRegistry), fixtureRegistry)).toEqual({
      "order.created": { integration: "erp-b", connector: "oro-orders-to-erp" },
    });
    const toDisabled = { ...pinned, webhook: { secretName: "hook", topics: { "order.created": { integration: "erp-b", connector: "erp-stock" } } } };
    expect(problems(toDisabled)).toContain("webhook.topics[\"order.created\"]: connector 'erp-stock' is not enabled in integration 'erp-b'");
  });

  it("names the file when it is missing or not JSON", () => {
    expect(problems("does-not-exist.json")[0]).toMatch(/^: cannot read the file/);
    expect(() => loadDeployConfig(join(REPO_ROOT, "package.json"), fixtureRegistry)).toThrow(/package\.json/);
  });
});

describe("Function: resolveConnectorSettings", () => {
  it("merges config overrides over connector defaults over project defaults", () => {
    const resolved = resolveConnectorSettings(loadDeployConfig(REFERENCE_CONFIG, fixtureRegistry), fixtureRegistry);
    const byType = Object.fromEntries(resolved.map((r) => [r.connector, r]));
    const products = byType["akeneo-products"]!;
    expect(products.timeoutSeconds).toBe(120); // connector default
    expect(products.queue).toEqual({
      name: "OroConnectors-akeneo-main-akeneo-products",
      fifo: false,
      contentBasedDeduplication: false,
      visibilityTimeoutSeconds: 720,
      retentionDays: 4,
    });
    expect(products.dlq.retentionDays).toBe(14);
    expect(products.schedule).toEqual({
      expression: "cron(0/15 6-22 ? * MON-SAT *)",
      timeZone: "Europe/Berlin",
      messageType: "window",
      intervalMinutes: undefined,
    });
    expect(products.settings).toMatchObject({
      locale: "en_US",
      windowOverlapMinutes: 10,
      schedule: "cron(0/15 6-22 ? * MON-SAT *)",
      timeZone: "Europe/Berlin",
    });
    expect(byType["erp-stock"]).toMatchObject({
      batchSize: 50,
      batchingWindowSeconds: 5,
      recordConcurrency: 8,
      maxConcurrency: 5,
      timeoutSeconds: 60,
      maxReceiveCount: 10,
    });
    expect(byType["erp-stock"]!.settings).toEqual({
      windowOverlapMinutes: 5,
      schedule: "rate(5 minutes)",
      timeZone: "UTC",
      scheduleMessageType: "window",
      scheduleIntervalMinutes: 5,
    });
    expect(byType["oro-orders-to-erp"]).toMatchObject({ maxConcurrency: 2, oroTopics: ["order.created"], schedule: undefined });
  });

  it("leaves out disabled connectors and turns content-based dedup on only for a scheduled FIFO queue", () => {
    const config = loadDeployConfig(erpConfig({ "erp-stock": { fifo: true }, "oro-orders-to-erp": { enabled: false } }), fixtureRegistry);
    const [stock, ...rest] = resolveConnectorSettings(config, fixtureRegistry);
    expect(rest).toEqual([]);
    expect(stock!.queue).toMatchObject({ name: "OroConnectors-erp-main-erp-stock.fifo", fifo: true, contentBasedDeduplication: true });
    expect(stock!.dlq).toMatchObject({ name: "OroConnectors-erp-main-erp-stock-dlq.fifo", fifo: true, contentBasedDeduplication: false });
    expect(resolveShared(config).alertsQueue.name).toBe("OroConnectors-alerts");
  });
});

describe("Function: scheduleExpressionProblem", () => {
  it.each([
    ["rate(5 minutes)", undefined],
    ["rate(1 hour)", undefined],
    ["cron(0 3 * * ? *)", undefined],
    ["rate(5 minute)", "write rate(5 minutes): the unit is plural above 1"],
    ["cron(0 3 * * * *)", "exactly one of day-of-month and day-of-week must be '?'"],
    ["cron(0 3 * *)", "a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got 4"],
    ["at(2030-01-01T00:00:00)", "expected rate(<n> <unit>) or cron(<6 fields>); at(...) one-off schedules are not for connectors"],
  ])("%s -> %s", (expression, problem) => {
    expect(scheduleExpressionProblem(expression)).toBe(problem);
  });
});
