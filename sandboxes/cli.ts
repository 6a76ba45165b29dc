/**
 * `npm run sandbox -- <name> [--port <p>] [...]`: starts one sandbox on 127.0.0.1 until Ctrl-C.
 * Adding a sandbox = one entry in SANDBOXES.
 */
import { parseArgs } from "node:util";
import { akeneoSandboxEntry } from "./akeneo/cli";
import { startErpSandbox } from "./erp";
import { startOroSandbox } from "./oro";

/** A runnable sandbox: starts from parsed CLI flags and reports what it serves. */
interface SandboxEntry {
  describe: string;
  /** Flags taking a value; any other `--flag` is a boolean. */
  valueFlags: string[];
  start(flags: Record<string, string | undefined>): Promise<{ url: string; lines: string[]; stop(): Promise<void> }>;
}

const SANDBOXES: Record<string, SandboxEntry> = {
  akeneo: akeneoSandboxEntry,
  erp: {
    describe: "generic ERP REST double, docs/erp-contract.md (flags: --port --api-key --no-seed --latency-ms)",
    valueFlags: ["port", "api-key", "latency-ms"],
    start: async (flags) => {
      const sandbox = await startErpSandbox({
        port: Number(flags.port ?? 8082),
        ...(flags["api-key"] ? { apiKey: flags["api-key"] } : {}),
        seed: flags["no-seed"] === undefined,
        faults: { latencyMs: Number(flags["latency-ms"] ?? 0) },
      });
      return {
        url: sandbox.url,
        stop: sandbox.stop,
        lines: [
          `API: ${sandbox.url}/{orders,stock}`,
          `admin: ${sandbox.url}/__admin/{state,orders,idempotency-keys,order-requests,stock,behaviour,faults,stats,reset}`,
          flags["api-key"] ? "api key: (as given)" : `api key: ${sandbox.apiKey} (default)`,
        ],
      };
    },
  },
  oro: {
    describe: "Oro 6.1 back-office JSON:API double (flags: --port --client-id --client-secret --no-seed --latency-ms --max-concurrent)",
    valueFlags: ["port", "client-id", "client-secret", "latency-ms", "max-concurrent"],
    start: async (flags) => {
      const clientId = flags["client-id"] ?? "oro-sandbox-client";
      const clientSecret = flags["client-secret"] ?? "oro-sandbox-secret";
      const sandbox = await startOroSandbox({
        port: Number(flags.port ?? 8081),
        clientId,
        clientSecret,
        seed: flags["no-seed"] === undefined,
        latencyMs: flags["latency-ms"] === undefined ? undefined : Number(flags["latency-ms"]),
        maxConcurrent: flags["max-concurrent"] === undefined ? undefined : Number(flags["max-concurrent"]),
      });
      const secretNote = flags["client-secret"] === undefined ? `client secret: ${clientSecret} (default)` : "client secret: (as given)";
      return {
        url: sandbox.url,
        stop: sandbox.stop,
        lines: [
          `API:   ${sandbox.apiUrl}`,
          `token: POST ${sandbox.url}/oauth2-token`,
          `admin: ${sandbox.url}/__admin/{stats,faults,reset,seed,state/<type>,expire-tokens,orders}`,
          `client id: ${clientId}`,
          secretNote,
        ],
      };
    },
  },
};

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const entry = name ? SANDBOXES[name] : undefined;
  if (!entry) {
    console.error(`Usage: npm run sandbox -- <${Object.keys(SANDBOXES).join("|")}> [flags]`);
    for (const [key, value] of Object.entries(SANDBOXES)) console.error(`  ${key}: ${value.describe}`);
    process.exitCode = 2;
    return;
  }
  const options = Object.fromEntries(entry.valueFlags.map((flag) => [flag, { type: "string" as const }]));
  const { values } = parseArgs({ args: rest, options, strict: false, allowPositionals: true });
  const flags = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === true ? "" : typeof v === "string" ? v : undefined]));
  const running = await entry.start(flags);
  console.log(`${name} sandbox listening on ${running.url}`);
  for (const line of running.lines) console.log(`  ${line}`);
  const shutdown = () => void running.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

void main();
