import { parseArgs } from "node:util";
import { chaosPassed, formatChaosReport, runChaos } from "./run";

/**
 * `npm run chaos [-- --seed 1 --products 10000 --orders 1000 --poison 0.01 --faults 0.2 --duplicates 0.1 --lost-webhooks 0.1 --latency 5 --timeout 540]`:
 * the chaos proof run on the whole local stack. Exits 0 only when the goal is met. Last line:
 * `chaos: lost <n>, duplicated <n>, poison in DLQ <a>/<b>, alerts <c>/<b>`.
 */
const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    products: { type: "string", default: "10000" },
    orders: { type: "string", default: "1000" },
    poison: { type: "string", default: "0.01" },
    faults: { type: "string", default: "0.2" },
    duplicates: { type: "string", default: "0.1" },
    "lost-webhooks": { type: "string", default: "0.1" },
    latency: { type: "string", default: "5" },
    timeout: { type: "string", default: "540" },
    "log-file": { type: "string" },
  },
});
const number = (name: string, raw: string | undefined, max = Number.MAX_SAFE_INTEGER) => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > max) throw new Error(`--${name} must be a number from 0 to ${max}, got ${raw}`);
  return value;
};

process.env.POWERTOOLS_LOG_LEVEL ??= "INFO";
const result = await runChaos({
  seed: number("seed", values.seed),
  products: Math.floor(number("products", values.products, 100_000)),
  orders: Math.floor(number("orders", values.orders, 10_000)),
  poisonRate: number("poison", values.poison, 1),
  faultRate: number("faults", values.faults, 1),
  duplicateRate: number("duplicates", values.duplicates, 1),
  lostWebhookRate: number("lost-webhooks", values["lost-webhooks"], 1),
  latencyMs: number("latency", values.latency, 10_000),
  timeoutMs: number("timeout", values.timeout, 3_600) * 1000,
  ...(values["log-file"] ? { logFile: values["log-file"] } : {}),
});
for (const line of formatChaosReport(result)) console.log(line);
process.exitCode = chaosPassed(result) ? 0 : 1;
