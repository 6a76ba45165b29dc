/**
 * The ops CLI: `oro-connectors <command>` (package.json bin, ops/bin.mjs) or `npm run ops -- <command>`.
 * Works against AWS (the default credential chain) or the running local stack (`--local`).
 * Usage, options and exit codes: {@link USAGE} and docs/ops.md.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { closeAll } from "../shared/http";
import { backfill, formatBackfill } from "./commands/backfill";
import { checkIntegration, formatCheck } from "./commands/check";
import { formatPeek, peekDlq } from "./commands/dlq-peek";
import { formatRedrive, redriveDlq, redriveFailed } from "./commands/dlq-redrive";
import { formatSend, readMessageSource, sendMessage } from "./commands/send";
import { formatStatus, status } from "./commands/status";
import { DEFAULT_RUNS, formatRuns, MAX_RUNS, runs } from "./commands/runs";
import { formatRegister, registerIntegrations } from "./commands/oro-integration";
import { WEBHOOK_ACTIONS, webhookCommand } from "./commands/webhook";
import type { WebhookActionName } from "./commands/webhook";
import { createContext } from "./context";
import type { ContextOptions, OpsContext } from "./context";
import { ExitCode, isUnreachable, messageOf, OpsError, UnreachableError, UsageError } from "./errors";
import { processIo } from "./io";
import type { OpsIo } from "./io";

export const USAGE = `Usage: oro-connectors <command> [options]

Commands:
  send <integration> <connector> [file|-]   validate a message (envelope or Oro webhook body, and the
                                            connector's schema for its type) and send it to the connector's queue
      --type <type>          wrap a bare payload in an envelope of this message type
      --id <id>              envelope id of a wrapped payload (default: a random UUID)
      --group-id <id>        FIFO message group (default: the connector type)
      --dry-run              validate and print; send nothing
  dlq peek <integration> <connector>        show DLQ messages with their error attributes; leaves them in place
      --max <n>              messages to show (default 10, at most 1000)
  dlq redrive <integration> <connector>     move DLQ messages back to the connector's queue
  dlq redrive notifier                      move the notifier's dead-lettered alert events back
      --code <code>          only messages with this ErrorCode ("none": moved by SQS); repeatable
      --envelope-id <id>     only this envelope id; repeatable
      --connector <type>     only messages of this connector type; repeatable
      --max <n>              move at most n (default 10000)
      --copy                 receive/send/delete even where StartMessageMoveTask exists (marks every message
                             so its alert is resolved on success)
      --dry-run              list what would move; move nothing
      --timeout <seconds>    how long to follow a move task (default 600)
  backfill <integration> <connector> --from <iso> --to <iso>
                                            enqueue the schedule's window messages for a past range
      --interval <minutes>   window length (default: the connector's rate() schedule)
      --type <type>          message type (default: the schedule's)
      --max-windows <n>      refuse ranges with more windows (default 500)
      --dry-run              list the windows; send nothing
  check <integration>                       secrets, Oro token and permissions, external system login
  status [integration]                      queue and DLQ depths, oldest DLQ message, recent Oro alerts
      --alerts <n>           alerts to list (default 10; 0 skips Oro)
  runs <integration> <connector>            recent runs from the run ledger: outcome, pages, records, duration
      --max <n>              runs to list (default ${DEFAULT_RUNS}, at most ${MAX_RUNS})
  webhook register|delete|list [options]    Oro webhooks to the ingress (ops/register-webhook.ts options;
                                            --oro-secret and --secret-name default from the deploy config)
  oro-integration register [integration]    each integration of the deploy config as a channel in Oro's
                                            System > Integrations, with its connectors (docs/oro-integration.md)
      --ingress-url <url>    the stack output WebhookUrl, where Schedule sync posts (default under --local: the local stack's)
      --dry-run              show what would change; change nothing

Global options:
  --local                use the running local stack (<repo>/.local-stack/endpoints.json; env ORO_CONNECTORS_LOCAL=1)
  --endpoints <file>     the local stack's endpoints file (default .local-stack/endpoints.json)
  --config <path>        deploy config (default: the local stack's, else deploy.config.json)
  --json                 one JSON document on stdout (progress and diagnostics stay on stderr)
  -h, --help             this help

Without --local the AWS SDK's credential chain is used, in AWS_REGION (else the config's region).

Exit codes:
  0  ok
  1  failures found: a check failed, messages in a DLQ, unresolved alerts, messages not moved or sent
  2  usage error: unknown command or option, bad arguments, invalid message, bad deploy config
  3  cannot reach AWS or the local stack (network, credentials, local stack not running)
`;

type Options = NonNullable<ParseArgsConfig["options"]>;

const GLOBAL: Options = {
  local: { type: "boolean" },
  endpoints: { type: "string" },
  config: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

const COMMAND_OPTIONS: Record<string, Options> = {
  send: { type: { type: "string" }, id: { type: "string" }, "group-id": { type: "string" }, "dry-run": { type: "boolean" } },
  "dlq peek": { max: { type: "string" } },
  "dlq redrive": {
    code: { type: "string", multiple: true },
    "envelope-id": { type: "string", multiple: true },
    connector: { type: "string", multiple: true },
    max: { type: "string" },
    copy: { type: "boolean" },
    "dry-run": { type: "boolean" },
    timeout: { type: "string" },
  },
  backfill: {
    from: { type: "string" },
    to: { type: "string" },
    interval: { type: "string" },
    type: { type: "string" },
    "max-windows": { type: "string" },
    "dry-run": { type: "boolean" },
  },
  check: {},
  status: { alerts: { type: "string" } },
  runs: { max: { type: "string" } },
  "oro-integration register": { "ingress-url": { type: "string" }, "dry-run": { type: "boolean" } },
};

/** What one command produced: the JSON value, its text form, and the exit code it means. */
interface Outcome {
  json: unknown;
  text: string;
  exitCode: number;
}

const integer = (value: unknown, option: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new UsageError(`${option} must be a whole number, got "${String(value)}"`);
  return n;
};

const positionalsFor = (command: string, positionals: string[], min: number, max: number, names: string): string[] => {
  if (positionals.length < min || positionals.length > max)
    throw new UsageError(`${command} takes ${names}; got ${positionals.length ? positionals.map((p) => `"${p}"`).join(" ") : "nothing"}`);
  return positionals;
};

/** Global options that take a value (`--config x.json`, `--config=x.json`). */
const GLOBAL_WITH_VALUE = new Set(
  Object.entries(GLOBAL)
    .filter(([, o]) => o.type === "string")
    .map(([name]) => `--${name}`),
);

/**
 * The words of `args` that are not options, skipping the values of global options wherever they
 * stand: `--config x.json status` is the command `status`, not `x.json`.
 */
export const commandWords = (args: readonly string[]): string[] => {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      words.push(...args.slice(i + 1));
      break;
    }
    if (GLOBAL_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith("-")) words.push(arg);
  }
  return words;
};

/** Hooks for tests. */
export interface RunOptions {
  /** Overrides of the context options (e.g. endpoints given directly). */
  context?: ContextOptions;
}

/**
 * Runs the CLI with `argv` (without node and the script); resolves to the exit code. Never
 * throws: every error is printed (and, with `--json`, also written as `{ok: false, error}`).
 */
export const run = async (argv: readonly string[], io: OpsIo = processIo(), runOptions: RunOptions = {}): Promise<number> => {
  const args = [...argv];
  const json = args.includes("--json");
  const fail = (error: unknown): number => {
    const opsError =
      error instanceof OpsError
        ? error
        : isUnreachable(error)
          ? new UnreachableError(messageOf(error), { cause: error })
          : new OpsError(messageOf(error), ExitCode.failures);
    const usage = opsError.exitCode === ExitCode.usage ? "\n\nRun `oro-connectors --help` for usage." : "";
    io.err(`error: ${opsError.message}${usage}`);
    if (json) io.out(JSON.stringify({ ok: false, exitCode: opsError.exitCode, error: { name: opsError.name, message: opsError.message } }, null, 2));
    return opsError.exitCode;
  };

  // The command: the first one or two words that are neither options nor a global option's value.
  const words = commandWords(args);
  const first = words[0];
  if (first === undefined || args.includes("--help") || args.includes("-h")) {
    if (first === undefined && !args.includes("--help") && !args.includes("-h")) {
      io.err(USAGE);
      return ExitCode.usage;
    }
    io.out(USAGE);
    return ExitCode.ok;
  }
  let command = first;
  if (first === "dlq" || first === "webhook" || first === "oro-integration") command = `${first} ${words[1] ?? ""}`.trim();

  let ctx: OpsContext | undefined;
  try {
    if (first === "webhook") {
      const action = words[1];
      if (!action || !(WEBHOOK_ACTIONS as readonly string[]).includes(action)) throw new UsageError(`webhook needs one of: ${WEBHOOK_ACTIONS.join(", ")}`);
      // Pass everything but our own options to register-webhook.
      const rest = args.slice(args.indexOf(action) + 1);
      const own = parseArgs({ args: rest, options: { ...GLOBAL }, strict: false, allowPositionals: true }).values;
      const passthrough: string[] = [];
      for (let i = 0; i < rest.length; i++) {
        const a = rest[i] as string;
        if (a === "--local" || a === "--json") continue;
        if (a === "--config" || a === "--endpoints") {
          i++;
          continue;
        }
        if (a.startsWith("--config=") || a.startsWith("--endpoints=")) continue;
        passthrough.push(a);
      }
      ctx = createContext(contextOptions(own, io, runOptions));
      return await webhookCommand(ctx, action as WebhookActionName, passthrough, io);
    }

    const spec = COMMAND_OPTIONS[command];
    if (!spec) throw new UsageError(first === "dlq" ? `dlq needs "peek" or "redrive"` : `unknown command "${command}"`);
    let parsed;
    try {
      parsed = parseArgs({ args, options: { ...GLOBAL, ...spec }, strict: true, allowPositionals: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    const positionals = parsed.positionals.slice(command.split(" ").length);
    ctx = createContext(contextOptions(values, io, runOptions));
    const outcome = await dispatch(ctx, command, positionals, values, io);
    io.out(json ? JSON.stringify({ ok: outcome.exitCode === ExitCode.ok, exitCode: outcome.exitCode, result: outcome.json }, null, 2) : outcome.text);
    return outcome.exitCode;
  } catch (error) {
    return fail(error);
  } finally {
    ctx?.close();
    await closeAll().catch(() => undefined);
  }
};

const contextOptions = (values: Record<string, unknown>, io: OpsIo, runOptions: RunOptions): ContextOptions => {
  const envLocal = io.env.ORO_CONNECTORS_LOCAL;
  const local = values.local === true || envLocal === "1" || envLocal === "true";
  const endpoints = (values.endpoints as string | undefined) ?? io.env.ORO_CONNECTORS_ENDPOINTS;
  return {
    env: io.env,
    ...(local ? { local: true } : {}),
    ...(endpoints ? { endpointsPath: endpoints } : {}),
    ...(typeof values.config === "string" ? { configPath: values.config } : {}),
    ...runOptions.context,
  };
};

const dispatch = async (
  ctx: OpsContext,
  command: string,
  positionals: string[],
  values: Record<string, string | boolean | string[] | undefined>,
  io: OpsIo,
): Promise<Outcome> => {
  const str = (name: string) => values[name] as string | undefined;
  const list = (name: string) => (values[name] as string[] | undefined) ?? [];
  const dryRun = values["dry-run"] === true;
  switch (command) {
    case "send": {
      const [integration, connector, source] = positionalsFor("send", positionals, 2, 3, "<integration> <connector> [file|-]") as [
        string,
        string,
        string | undefined,
      ];
      const text = await readMessageSource(source, io.readStdin);
      const type = str("type");
      const id = str("id");
      const groupId = str("group-id");
      const r = await sendMessage(ctx, integration, connector, text, {
        ...(type ? { type } : {}),
        ...(id ? { id } : {}),
        ...(groupId ? { groupId } : {}),
        dryRun,
      });
      return { json: r, text: formatSend(r), exitCode: ExitCode.ok };
    }
    case "dlq peek": {
      const [integration, connector] = positionalsFor("dlq peek", positionals, 2, 2, "<integration> <connector>") as [string, string];
      const max = integer(str("max"), "--max");
      const r = await peekDlq(ctx, integration, connector, max === undefined ? {} : { max });
      return { json: r, text: formatPeek(r), exitCode: r.messages.length > 0 ? ExitCode.failures : ExitCode.ok };
    }
    case "dlq redrive": {
      const [integration, connector] = positionalsFor("dlq redrive", positionals, 1, 2, "<integration> <connector> (or notifier)") as [
        string,
        string | undefined,
      ];
      const max = integer(str("max"), "--max");
      const timeout = integer(str("timeout"), "--timeout");
      const r = await redriveDlq(ctx, integration, connector, {
        filter: { codes: list("code"), envelopeIds: list("envelope-id"), connectors: list("connector") },
        ...(max === undefined ? {} : { max }),
        ...(timeout === undefined ? {} : { moveTaskTimeoutMs: timeout * 1000 }),
        copy: values.copy === true,
        dryRun,
        io,
      });
      return { json: r, text: formatRedrive(r), exitCode: redriveFailed(r) ? ExitCode.failures : ExitCode.ok };
    }
    case "backfill": {
      const [integration, connector] = positionalsFor("backfill", positionals, 2, 2, "<integration> <connector>") as [string, string];
      const from = str("from");
      const to = str("to");
      if (!from || !to) throw new UsageError("backfill needs --from <iso> and --to <iso>, e.g. --from 2025-01-01T00:00:00Z --to 2025-01-02T00:00:00Z");
      const interval = integer(str("interval"), "--interval");
      const maxWindows = integer(str("max-windows"), "--max-windows");
      const type = str("type");
      const r = await backfill(ctx, integration, connector, {
        from,
        to,
        ...(interval === undefined ? {} : { intervalMinutes: interval }),
        ...(maxWindows === undefined ? {} : { maxWindows }),
        ...(type ? { type } : {}),
        dryRun,
        io,
      });
      return { json: r, text: formatBackfill(r), exitCode: r.failed > 0 ? ExitCode.failures : ExitCode.ok };
    }
    case "check": {
      const [integration] = positionalsFor("check", positionals, 1, 1, "<integration>") as [string];
      const r = await checkIntegration(ctx, integration);
      return { json: r, text: formatCheck(r), exitCode: r.ok ? ExitCode.ok : ExitCode.failures };
    }
    case "status": {
      const [integration] = positionalsFor("status", positionals, 0, 1, "[integration]") as [string | undefined];
      const alerts = integer(str("alerts"), "--alerts");
      const r = await status(ctx, { ...(integration ? { integration } : {}), ...(alerts === undefined ? {} : { alerts }) });
      return { json: r, text: formatStatus(r), exitCode: r.failuresFound ? ExitCode.failures : ExitCode.ok };
    }
    case "runs": {
      const [integration, connector] = positionalsFor("runs", positionals, 2, 2, "<integration> <connector>") as [string, string];
      const max = integer(str("max"), "--max");
      const r = await runs(ctx, integration, connector, max === undefined ? {} : { max });
      return { json: r, text: formatRuns(r), exitCode: ExitCode.ok };
    }
    case "oro-integration register": {
      const [integration] = positionalsFor("oro-integration register", positionals, 0, 1, "[integration]") as [string | undefined];
      const ingressUrl = str("ingress-url");
      const r = await registerIntegrations(ctx, { ...(integration ? { integration } : {}), ...(ingressUrl ? { ingressUrl } : {}), dryRun });
      return { json: r, text: formatRegister(r), exitCode: ExitCode.ok };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await run(process.argv.slice(2));
}
