import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context, SQSEvent } from "aws-lambda";
import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { connectors } from "../functions/registry";
import { DeployConfigError, loadDeployConfig } from "../infra/config";
import { OroConnectorsStack } from "../infra/stack";
import { run } from "../ops/cli";
import type { OpsIo } from "../ops/io";
import { defineConnector, defineIntegrationType, parseConnectorSettings } from "../shared/connector";
import { ConfigurationError } from "../shared/errors";
import { createEnvelope } from "../shared/messages";
import { createConnectorHandler } from "../shared/runtime";

/**
 * Typed connector settings (shared/connector/settings.ts): each connector's schema, read
 * strictly, is checked when the deploy config is loaded (cdk synth, the local stack, ops) with the
 * field path, and parsed once per container by the runtime into a typed `context.settings`.
 */
const registry = { connectors };

/** The shipped config with `settings` for one connector of one integration. */
const configWith = (integration: "akeneo-main" | "erp-main", connector: string, settings: Record<string, unknown>) => ({
  oroSecretName: "oro-connectors/oro",
  integrations: [
    { name: "akeneo-main", type: "akeneo", secretName: "s/akeneo", connectors: { "akeneo-products": integration === "akeneo-main" ? { settings } : {} } },
    {
      name: "erp-main",
      type: "erp",
      secretName: "s/erp",
      connectors: { "erp-stock": connector === "erp-stock" ? { settings } : {}, "oro-orders-to-erp": connector === "oro-orders-to-erp" ? { settings } : {} },
    },
  ],
});

const issuesOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(DeployConfigError);
    return (error as DeployConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("the config was accepted");
};

describe("connector settings at load time (cdk synth, local stack, ops)", () => {
  it("refuses a typo with its field path instead of ignoring it", () => {
    expect(issuesOf(() => loadDeployConfig(configWith("akeneo-main", "akeneo-products", { oroBatchSiz: 50 }), registry))).toEqual([
      "integrations[0].connectors.akeneo-products.settings.oroBatchSiz: is not a setting of this connector (a typo?)",
    ]);
  });

  it("refuses wrong values of each connector's own and the common settings, every problem at once", () => {
    const issues = issuesOf(() =>
      loadDeployConfig(
        {
          oroSecretName: "oro-connectors/oro",
          integrations: [
            {
              name: "akeneo-main",
              type: "akeneo",
              secretName: "s/akeneo",
              connectors: { "akeneo-products": { settings: { identifierAttribute: "values.sku", oroBatchSize: 101, reuseExisting: "no" } } },
            },
            {
              name: "erp-main",
              type: "erp",
              secretName: "s/erp",
              connectors: {
                "erp-stock": { settings: { pageSize: 5000, maxChainHops: 0 } },
                "oro-orders-to-erp": { settings: { orderNumberField: "po number" } },
              },
            },
          ],
        },
        registry,
      ),
    );
    expect(issues.map((i) => i.split(": ")[0])).toEqual([
      "integrations[0].connectors.akeneo-products.settings.identifierAttribute",
      "integrations[0].connectors.akeneo-products.settings.reuseExisting",
      "integrations[0].connectors.akeneo-products.settings.oroBatchSize",
      "integrations[1].connectors.erp-stock.settings.pageSize",
      "integrations[1].connectors.erp-stock.settings.maxChainHops",
      "integrations[1].connectors.oro-orders-to-erp.settings.orderNumberField",
    ]);
    expect(issues[0]).toContain("an Akeneo attribute code (letters, digits, underscores) of an identifier attribute");
    expect(issues[3]).toBe("integrations[1].connectors.erp-stock.settings.pageSize: Too big: expected number to be <=1000");
  });

  it("accepts the settings each connector documents", () => {
    const config = loadDeployConfig(
      {
        oroSecretName: "oro-connectors/oro",
        integrations: [
          {
            name: "akeneo-main",
            type: "akeneo",
            secretName: "s/akeneo",
            connectors: {
              "akeneo-products": {
                settings: {
                  identifierAttribute: "ean",
                  oroBatchSize: 1,
                  reuseExisting: false,
                  mapping: { attributes: { name: null } },
                  handoverMarginMs: 0,
                  maxChainHops: 10,
                },
              },
            },
          },
          {
            name: "erp-main",
            type: "erp",
            secretName: "s/erp",
            connectors: {
              "erp-stock": { settings: { pageSize: 2, warehouse: "main", inventoryWrite: "single", writeConcurrency: 2, windowMinutes: 30 } },
              "oro-orders-to-erp": { settings: { orderNumberField: "poNumber", reconcileDelayMinutes: 0 } },
            },
          },
        ],
      },
      registry,
    );
    expect(config.integrations[1]?.connectors["erp-stock"]?.settings).toEqual({
      pageSize: 2,
      warehouse: "main",
      inventoryWrite: "single",
      writeConcurrency: 2,
      windowMinutes: 30,
    });
  });

  it("stops cdk synth on a bad setting", () => {
    expect(
      () => new OroConnectorsStack(new App(), "Bad", { config: configWith("erp-main", "erp-stock", { inventoryWrite: "bulk" }) as never, registry }),
    ).toThrow(/integrations\[1\]\.connectors\.erp-stock\.settings\.inventoryWrite: Invalid option: expected one of "batch"\|"single"/);
  });

  it("stops ops with exit 2 and the field path, with --config before the command", async () => {
    const dir = mkdtempSync(join(tmpdir(), "settings-ops-"));
    const path = join(dir, "bad.json");
    writeFileSync(path, JSON.stringify(configWith("erp-main", "oro-orders-to-erp", { orderNumberFeld: "poNumber" })));
    const err: string[] = [];
    const io: OpsIo = { out: () => undefined, err: (t) => err.push(t), errRaw: () => undefined, stderrIsTTY: false, readStdin: async () => "", env: {} };
    expect(await run(["--config", path, "status"], io)).toBe(2);
    expect(err.join("\n")).toContain("integrations[1].connectors.oro-orders-to-erp.settings.orderNumberFeld: is not a setting of this connector (a typo?)");
  });
});

describe("connector settings in the runtime", () => {
  const integration = defineIntegrationType({ type: "t", label: "t", settings: z.object({}), createClient: () => ({}) });
  const seen: unknown[] = [];
  let prepares = 0;
  const connector = defineConnector({
    type: "typed",
    label: "typed",
    integrationType: integration,
    entity: "products",
    direction: "import",
    defaults: {},
    messages: { go: z.object({}) },
    settings: z.strictObject({ pageSize: z._default(z.int().check(z.positive()), 200), label: z.optional(z.string()) }),
    prepare: (settings) => {
      prepares++;
      return { doubled: settings.pageSize * 2 };
    },
    async handle(_message, ctx) {
      // Typed: pageSize is a number, prepared.doubled a number (a type error otherwise).
      const pageSize: number = ctx.settings.pageSize;
      const doubled: number = ctx.prepared.doubled;
      seen.push({ pageSize, doubled, label: ctx.settings.label, overlap: ctx.settings.windowOverlapMinutes });
    },
  });
  const event = (id: string): SQSEvent => ({
    Records: [
      {
        messageId: id,
        receiptHandle: id,
        body: JSON.stringify(createEnvelope({ id, integration: "i", connector: "typed", type: "go", payload: {} })),
        attributes: { ApproximateReceiveCount: "1", SentTimestamp: "0", SenderId: "x", ApproximateFirstReceiveTimestamp: "0" },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q",
        awsRegion: "us-east-1",
      },
    ],
  });
  const context = { getRemainingTimeInMillis: () => 60_000, functionName: "typed", awsRequestId: "r" } as unknown as Context;
  const env = (settings: unknown) => ({
    INTEGRATION_NAME: "i",
    CONNECTOR_TYPE: "typed",
    DLQ_URL: "http://127.0.0.1:1/dlq",
    ALERTS_QUEUE_URL: "http://127.0.0.1:1/alerts",
    CONNECTOR_SETTINGS: JSON.stringify(settings),
  });

  it("parses settings with their defaults and prepares once per container", async () => {
    seen.length = 0;
    prepares = 0;
    const handler = createConnectorHandler(connector, { env: env({ windowOverlapMinutes: 5 }) });
    expect(await handler(event("m-1"), context)).toEqual({ batchItemFailures: [] });
    expect(await handler(event("m-2"), context)).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([
      { pageSize: 200, doubled: 400, label: undefined, overlap: 5 },
      { pageSize: 200, doubled: 400, label: undefined, overlap: 5 },
    ]);
    expect(prepares).toBe(1);
  });

  it("names each bad field of CONNECTOR_SETTINGS in one ConfigurationError", () => {
    const parse = () => parseConnectorSettings("typed", connector.settings, { pageSize: 0, pageSiz: 2, maxChainHops: "x" });
    expect(parse).toThrow(ConfigurationError);
    expect(parse).toThrow(
      "typed settings are invalid: settings.pageSize: Too small: expected number to be >0; settings.maxChainHops: Invalid input: expected number, received string; settings.pageSiz: is not a setting of this connector (a typo?) (fix the connector's settings in the deploy config and deploy again)",
    );
  });
});
