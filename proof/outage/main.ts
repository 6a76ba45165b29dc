import { parseArgs } from "node:util";
import { formatOutageReport, outagePassed, runOutage } from "./run";

/**
 * `npm run outage [-- --seed 1 --products 2000 --orders 100 --rotation-products 2000 --rotation-orders 100 --timeout 300]`:
 * Oro down mid-sync, DLQ redrive with the ops CLI's function, alerts created and resolved; then
 * secrets rotated mid-sync. Exits 0 only when the goal is met. Last line:
 * `outage: lost <n>, landed after redrive <a>/<b>, alerts created <c>, resolved <d>/<c>; rotation: lasting failures <n>`.
 */
const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    products: { type: "string", default: "2000" },
    orders: { type: "string", default: "100" },
    "rotation-products": { type: "string", default: "2000" },
    "rotation-orders": { type: "string", default: "100" },
    "max-receive-count": { type: "string", default: "5" },
    timeout: { type: "string", default: "300" },
    "log-file": { type: "string" },
  },
});
const integer = (name: string, raw: string | undefined, min: number, max: number) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${raw}`);
  return value;
};

process.env.POWERTOOLS_LOG_LEVEL ??= "INFO";
const result = await runOutage({
  seed: integer("seed", values.seed, 0, 2 ** 31),
  products: integer("products", values.products, 1, 50_000),
  orders: integer("orders", values.orders, 1, 5_000),
  rotationProducts: integer("rotation-products", values["rotation-products"], 1, 50_000),
  rotationOrders: integer("rotation-orders", values["rotation-orders"], 1, 5_000),
  maxReceiveCount: integer("max-receive-count", values["max-receive-count"], 1, 100),
  timeoutMs: integer("timeout", values.timeout, 10, 3_600) * 1000,
  ...(values["log-file"] ? { logFile: values["log-file"] } : {}),
});
for (const line of formatOutageReport(result)) console.log(line);
process.exitCode = outagePassed(result) ? 0 : 1;
