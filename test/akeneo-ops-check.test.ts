import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkIntegration } from "../ops/commands/check";
import { createContext } from "../ops/context";
import { attribute, defaultAttributes } from "../sandboxes/akeneo";
import { type OpsHarness, SECRET, startOpsHarness, testRegistry } from "./ops-harness";

/**
 * `ops check` of akeneo-products' identifier attribute against the Akeneo sandbox's attributes
 * list (GET /api/rest/v1/attributes, type pim_catalog_identifier).
 */
let h: OpsHarness;

beforeAll(async () => {
  h = await startOpsHarness();
});
afterAll(() => h.stop());
beforeEach(async () => {
  h.resetSecrets();
  await h.akeneo.admin.reset();
});

const check = async (settings: Record<string, unknown>) => {
  const path = join(h.dir, `identifier-${Date.now()}.config.json`);
  writeFileSync(
    path,
    JSON.stringify({
      oroSecretName: SECRET.oro,
      region: "us-east-1",
      stackName: "opst",
      integrations: [{ name: "akeneo-main", type: "akeneo", secretName: SECRET.akeneo, connectors: { "akeneo-products": { settings } } }],
    }),
  );
  const ctx = createContext({ local: h.endpoints, configPath: path, registry: testRegistry });
  try {
    return (await checkIntegration(ctx, "akeneo-main")).checks.find((c) => c.name === "akeneo-products identifier attribute");
  } finally {
    ctx.close();
  }
};

describe("ops check: akeneo-products identifier attribute", () => {
  it("passes for the default sku, Akeneo's main identifier", async () => {
    expect(await check({})).toEqual({
      name: "akeneo-products identifier attribute",
      status: "ok",
      detail: 'settings.identifierAttribute "sku" is an identifier attribute of Akeneo, the main identifier (identifier attributes: sku (main))',
    });
  });

  it("passes for a second identifier attribute and says which one is the main identifier", async () => {
    await h.akeneo.admin.putAttributes([...defaultAttributes(), attribute("ean", "pim_catalog_identifier")]);

    expect((await check({ identifierAttribute: "ean" }))?.detail).toBe(
      'settings.identifierAttribute "ean" is an identifier attribute of Akeneo, not the main identifier ("sku" is): products without a "ean" value are skipped (identifier attributes: ean, sku (main))',
    );
  });

  it("fails with the identifier attributes Akeneo has when the setting names another attribute", async () => {
    expect(await check({ identifierAttribute: "name" })).toEqual({
      name: "akeneo-products identifier attribute",
      status: "failed",
      detail: '"name" is not an identifier attribute of this Akeneo (its identifier attributes: sku (main))',
      hint: 'set settings.identifierAttribute of akeneo-products in the deploy config to one of the listed identifier attributes (default "sku")',
    });
  });
});
