import { parseArgs } from "node:util";
import { formatReport, fuzzPassed, runFuzz } from "./run";

/**
 * `npm run fuzz [-- --seed 1 --bad 10000 --good 2000 --timeout 300]`: the fuzz proof run against
 * erp-stock on local services. Exits 0 only when the goal is met. Last line:
 * `fuzz: batch crashes <n>, bad in DLQ with reason <a>/<b>, good processed <c>/<d>`.
 */
const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    bad: { type: "string", default: "10000" },
    good: { type: "string", default: "2000" },
    timeout: { type: "string", default: "300" },
    "no-size": { type: "boolean", default: false },
    "log-file": { type: "string" },
  },
});
const number = (name: string, raw: string | undefined) => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
  return value;
};

process.env.POWERTOOLS_LOG_LEVEL ??= "INFO";
const result = await runFuzz({
  seed: number("seed", values.seed),
  bad: number("bad", values.bad),
  good: number("good", values.good),
  timeoutMs: number("timeout", values.timeout) * 1000,
  sizeCases: !values["no-size"],
  ...(values["log-file"] ? { logFile: values["log-file"] } : {}),
});
for (const line of formatReport(result)) console.log(line);
process.exitCode = fuzzPassed(result) ? 0 : 1;
