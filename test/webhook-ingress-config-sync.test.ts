import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_BODY_BYTES, readIngressConfig } from "../functions/webhook-ingress";
import { ConfigurationError } from "../shared/errors";

/**
 * readIngressConfig's Schedule-sync routes, state table and limits, with the exact error of each
 * bad value (functions/webhook-ingress/config.ts; issue 16, mutation testing).
 */
const Q = "https://sqs.eu-west-1.amazonaws.com/123456789012/akeneo-products";
const base = { WEBHOOK_SECRET_NAME: "oro/webhook" };

describe("Function: readIngressConfig (Schedule sync, state table, limits)", () => {
  it("pairs WEBHOOK_SYNC_ROUTES and WEBHOOK_SYNC_TYPES by key", () => {
    const config = readIngressConfig({
      ...base,
      WEBHOOK_SYNC_ROUTES: JSON.stringify({ "akeneo-main/akeneo-products": Q, "erp-main/erp-stock": `${Q}.fifo` }),
      WEBHOOK_SYNC_TYPES: JSON.stringify({ "erp-main/erp-stock": "stock-window", "akeneo-main/akeneo-products": "window" }),
    });
    expect(config.syncRoutes).toEqual({
      "akeneo-main/akeneo-products": { queueUrl: Q, messageType: "window" },
      "erp-main/erp-stock": { queueUrl: `${Q}.fifo`, messageType: "stock-window" },
    });
    expect(readIngressConfig(base).syncRoutes).toEqual({});
    const given = { "a/b": { queueUrl: Q, messageType: "window" } };
    expect(readIngressConfig({ ...base, WEBHOOK_SYNC_ROUTES: "{" }, { syncRoutes: given }).syncRoutes).toBe(given);
  });

  it("names the variable and an example of what it must hold", () => {
    const routesExample = `{"akeneo-main/akeneo-products":"https://sqs.eu-west-1.amazonaws.com/123456789012/akeneo-products"}`;
    expect(() => readIngressConfig({ ...base, WEBHOOK_SYNC_ROUTES: "{" })).toThrow(
      new ConfigurationError(`environment variable WEBHOOK_SYNC_ROUTES is not JSON: it must be an object like ${routesExample}`),
    );
    expect(() => readIngressConfig({ ...base, WEBHOOK_SYNC_ROUTES: JSON.stringify({ "a/b": "not a url" }) })).toThrow(
      new ConfigurationError(`environment variable WEBHOOK_SYNC_ROUTES must be an object like ${routesExample}`),
    );
    expect(() => readIngressConfig({ ...base, WEBHOOK_SYNC_TYPES: "[" })).toThrow(
      new ConfigurationError(`environment variable WEBHOOK_SYNC_TYPES is not JSON: it must be an object like {"akeneo-main/akeneo-products":"window"}`),
    );
    expect(() => readIngressConfig({ ...base, WEBHOOK_SYNC_TYPES: JSON.stringify({ "a/b": "" }) })).toThrow(
      new ConfigurationError(`environment variable WEBHOOK_SYNC_TYPES must be an object like {"akeneo-main/akeneo-products":"window"}`),
    );
    expect(() => readIngressConfig({ ...base, WEBHOOK_SYNC_TYPES: JSON.stringify({ "": "window" }) })).toThrow(
      new ConfigurationError(`environment variable WEBHOOK_SYNC_TYPES must be an object like {"akeneo-main/akeneo-products":"window"}`),
    );
  });

  it("refuses a key in only one of the two variables, either way round", () => {
    const only = (key: string) => new ConfigurationError(`WEBHOOK_SYNC_ROUTES and WEBHOOK_SYNC_TYPES must have the same keys; "${key}" is in only one`);
    expect(() => readIngressConfig({ ...base, WEBHOOK_SYNC_ROUTES: JSON.stringify({ "a/b": Q }) })).toThrow(only("a/b"));
    expect(() => readIngressConfig({ ...base, WEBHOOK_SYNC_TYPES: JSON.stringify({ "c/d": "window" }) })).toThrow(only("c/d"));
  });

  it("reads the state table name (an empty value is none; an override wins) and the replay and reload settings", () => {
    expect(readIngressConfig({ ...base, STATE_TABLE_NAME: "connectors-state" }).stateTableName).toBe("connectors-state");
    expect(readIngressConfig({ ...base, STATE_TABLE_NAME: "" }).stateTableName).toBeUndefined();
    expect(readIngressConfig({ ...base, STATE_TABLE_NAME: "from-env" }, { stateTableName: "override" }).stateTableName).toBe("override");
    const config = readIngressConfig({ ...base, WEBHOOK_MAX_AGE_SECONDS: "600", WEBHOOK_MAX_FUTURE_SECONDS: "60", WEBHOOK_SECRET_RELOAD_SECONDS: "5" });
    expect([config.maxAgeSeconds, config.maxFutureSeconds, config.secretReloadSeconds]).toEqual([600, 60, 5]);
  });

  it("takes the largest body SQS allows with the attributes, and refuses one byte more", () => {
    expect(readIngressConfig({ ...base, WEBHOOK_MAX_BODY_BYTES: String(DEFAULT_MAX_BODY_BYTES) }).maxBodyBytes).toBe(DEFAULT_MAX_BODY_BYTES);
    expect(() => readIngressConfig({ ...base, WEBHOOK_MAX_BODY_BYTES: String(DEFAULT_MAX_BODY_BYTES + 1) })).toThrow(
      new ConfigurationError(`environment variable WEBHOOK_MAX_BODY_BYTES must be at most ${DEFAULT_MAX_BODY_BYTES}: SQS takes 1 MiB with the attributes`),
    );
  });
});
