import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS_PATH, loadLocalSettings } from "../local-stack/settings";
import { type LocalStack, startLocalStack } from "../local-stack/stack";
import { type ErpSandbox, startErpSandbox } from "../sandboxes/erp";
import { type OroSandbox, startOroSandbox } from "../sandboxes/oro";

// Stand-ins for a real Oro dev instance and a real ERP: started outside the local stack, known to
// it only through the secrets in its settings file, as a user's real endpoints would be.
let externalOro: OroSandbox;
let externalErp: ErpSandbox;
let stack: LocalStack;

beforeAll(async () => {
  externalOro = await startOroSandbox({ clientId: "real-oro-client", clientSecret: "real-oro-secret-123456" });
  externalErp = await startErpSandbox({ apiKey: "real-erp-key-123456" });
  const settings = loadLocalSettings(DEFAULT_SETTINGS_PATH);
  settings.sandboxes.oro.enabled = false;
  settings.sandboxes.erp.enabled = false;
  settings.secrets["oro-connectors/oro"] = { baseUrl: externalOro.url, clientId: "real-oro-client", clientSecret: "real-oro-secret-123456" };
  settings.secrets["oro-connectors/erp-main"] = { baseUrl: externalErp.url, apiKey: "real-erp-key-123456" };
  const path = join(mkdtempSync(join(tmpdir(), "local-stack-")), "local.json");
  writeFileSync(path, JSON.stringify(settings));
  stack = await startLocalStack({ settingsPath: path, ephemeralPorts: true, endpointsFile: false, fireSchedulesAtStart: false, backoffBaseSeconds: 0 });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await externalErp?.stop();
  await externalOro?.stop();
});

describe("Local stack against real endpoints", () => {
  it("starts no sandbox for them and syncs ERP stock into the configured Oro, with local queues", async () => {
    expect(stack.sandboxes.oro).toBeUndefined();
    expect(stack.sandboxes.erp).toBeUndefined();
    const sku = String(externalOro.store.list("products")[0]?.attributes.sku);
    await externalErp.admin.putStock({ levels: [{ sku, unit: "each", quantity: 4242 }] });
    // The schedule's window ends at its scheduled time (exclusive) and the level was just written.
    await stack.fireSchedules((c) => c.resolved.connector === "erp-stock", new Date(Date.now() + 2_000));
    const stock = stack.connectors.find((c) => c.resolved.connector === "erp-stock");
    expect(stock?.queueUrl).toContain("127.0.0.1");
    await stack.idle(60_000);
    const quantities = externalOro.store.list("inventorylevels").map((l) => Number(l.attributes.quantity));
    expect(quantities).toContain(4242);
  }, 90_000);
});
