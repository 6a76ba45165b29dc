/**
 * Registers (or deletes, or lists) the Oro webhooks that deliver to the webhook ingress.
 *
 *   node --import tsx ops/register-webhook.ts --oro-url https://oro.example.com --client-id ID \
 *     --url https://<id>.lambda-url.<region>.on.aws/ --topic order.created --secret-name oro/webhook
 *
 * Credentials: `--client-secret-file <path|->` or env ORO_CLIENT_SECRET, or the whole connection from Secrets
 * Manager with `--oro-secret <name>` (the connectors' Oro secret). Signing secret: `--secret-name`
 * (the ingress's WEBHOOK_SECRET_NAME secret, `{"secret": ...}`: one source of truth), or
 * `--secret-file` / env WEBHOOK_SECRET (inline `--secret` / `--client-secret` warn: `ps` and shell
 * history see them). Secrets are never printed. See functions/webhook-ingress/README.md.
 *
 * Registering rotates: Oro's webhook secret is write-once, so the script creates the new webhooks
 * first and then deletes the ones of the same URL and topic (ops/webhooks.ts registerWebhooks;
 * the rotation procedure is in docs/ops.md).
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { WebhookSecretSchema } from "../functions/webhook-ingress";
import { describeError } from "../shared/errors";
import { createOroClient, OroConnectionSchema, parseOroConnection, type OroConnection } from "../shared/oro";
import { secretStore, type SecretStore } from "../shared/secrets";
import { readProcessStdin, readSecretInput } from "./secret-input";
import { deleteWebhooks, listWebhooks, registerWebhooks, type WebhookAction } from "./webhooks";

const USAGE = `Usage: node --import tsx ops/register-webhook.ts [options]

Oro connection (one of):
  --oro-url <url> --client-id <id> [--client-secret-file <path|-> | env ORO_CLIENT_SECRET] [--api-prefix /admin/api]
                               (--client-secret <s> still works, with a warning: ps and shell history see it)
  --oro-secret <name>          Secrets Manager secret holding {baseUrl, apiPrefix, clientId, clientSecret}

What:
  --url <function url>         the webhook ingress Function URL (required unless --list)
  --topic <topic>              e.g. order.created; repeat it or separate with commas
  --secret-name <name>         Secrets Manager secret of the ingress, {"secret": "..."} (preferred)
  --secret-file <path|->       the signing secret itself, from a file or stdin (or env WEBHOOK_SECRET;
                               --secret <s> works too, with a warning)
  --format default|thin        payload format (default: default)
  --no-verify-ssl              do not verify the ingress's certificate (local tests only)
                               registering replaces the webhooks of --url and --topic: the
                               new ones are created first, then the old ones deleted (Oro's
                               secret is write-once; rotation steps: docs/ops.md)
  --delete                     delete the webhooks of --url (for --topic, or all)
  --list                       list webhooks (of --url, when given)
`;

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** All of stdin (for `--secret-file -`). @default the process's stdin */
  readStdin?: () => Promise<string>;
  /** Where `--oro-secret` and `--secret-name` are read. @default the process's store (shared/secrets) */
  secrets?: SecretStore;
}

const describe = (a: WebhookAction) =>
  `${a.action} webhook ${a.id}: topic ${a.topic} -> ${a.url}${a.enabled === false ? " (disabled)" : ""}${a.replacedBy ? ` (replaced by ${a.replacedBy})` : ""}`;

/** Runs the CLI; resolves to the process exit code. */
export const main = async (argv: readonly string[], io: CliIo = { out: console.log, err: console.error, env: process.env }): Promise<number> => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        "oro-url": { type: "string" },
        "api-prefix": { type: "string" },
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
        "client-secret-file": { type: "string" },
        "oro-secret": { type: "string" },
        url: { type: "string" },
        topic: { type: "string", multiple: true },
        secret: { type: "string" },
        "secret-file": { type: "string" },
        "secret-name": { type: "string" },
        format: { type: "string" },
        "no-verify-ssl": { type: "boolean" },
        delete: { type: "boolean" },
        list: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const topics = (values.topic ?? [])
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter(Boolean);
  const fail = (message: string) => {
    io.err(`${message}\n\n${USAGE}`);
    return 2;
  };
  if (!values.list && !values.url) return fail("--url is required: the webhook ingress Function URL (stack output WebhookUrl)");
  if (!values.list && !values.delete && topics.length === 0) return fail("--topic is required, e.g. --topic order.created");
  if (values.format !== undefined && values.format !== "default" && values.format !== "thin") return fail('--format must be "default" or "thin"');

  const secretInput = { env: io.env, readStdin: io.readStdin ?? readProcessStdin, warn: io.err };
  try {
    let connection: OroConnection;
    if (values["oro-secret"]) {
      connection = await (io.secrets ?? secretStore()).get(values["oro-secret"], OroConnectionSchema);
    } else {
      const clientSecret = await readSecretInput({
        ...secretInput,
        option: "client-secret",
        inline: values["client-secret"],
        file: values["client-secret-file"],
        envName: "ORO_CLIENT_SECRET",
      });
      if (!values["oro-url"] || !values["client-id"] || !clientSecret)
        return fail("give --oro-secret, or --oro-url, --client-id and --client-secret-file <path|-> (or env ORO_CLIENT_SECRET)");
      connection = parseOroConnection(
        { baseUrl: values["oro-url"], clientId: values["client-id"], clientSecret, ...(values["api-prefix"] ? { apiPrefix: values["api-prefix"] } : {}) },
        "the --oro-url/--client-id/--client-secret options",
      );
    }
    const oro = createOroClient({ getConnection: async () => connection });

    let actions: WebhookAction[];
    if (values.list) {
      actions = await listWebhooks(oro, { ...(values.url ? { url: values.url } : {}), topics });
      if (actions.length === 0) io.out("no webhooks found");
    } else if (values.delete) {
      actions = await deleteWebhooks(oro, { url: values.url as string, topics });
      if (actions.length === 0) io.out(`no webhooks of ${values.url} to delete`);
    } else {
      const secret = values["secret-name"]
        ? (await (io.secrets ?? secretStore()).get(values["secret-name"], WebhookSecretSchema)).secret
        : await readSecretInput({ ...secretInput, option: "secret", inline: values.secret, file: values["secret-file"], envName: "WEBHOOK_SECRET" });
      if (!secret) return fail("give the signing secret: --secret-name <ingress secret> (preferred), --secret-file <path|-> or env WEBHOOK_SECRET");
      if (secret.length < 16) return fail("the signing secret must have at least 16 characters (the ingress refuses shorter ones)");
      actions = await registerWebhooks(oro, {
        url: values.url as string,
        topics,
        secret,
        ...(values.format ? { format: values.format } : {}),
        verifySsl: !values["no-verify-ssl"],
      });
    }
    for (const action of actions) io.out(describe(action));
    return 0;
  } catch (error) {
    io.err(`failed: ${describeError(error)}`);
    return 1;
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
