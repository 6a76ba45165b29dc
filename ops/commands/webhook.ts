import { AwsClients } from "../../shared/aws";
import { createSecretStore } from "../../shared/secrets";
import type { OpsContext } from "../context";
import { ExitCode } from "../errors";
import type { OpsIo } from "../io";
import { LOCAL_CREDENTIALS } from "../local";
import { main as registerWebhookMain } from "../register-webhook";

/** Subcommands of `webhook`, mapped onto ops/register-webhook.ts. */
export const WEBHOOK_ACTIONS = ["register", "delete", "list"] as const;
export type WebhookActionName = (typeof WEBHOOK_ACTIONS)[number];

const has = (argv: readonly string[], ...options: string[]) => argv.some((a) => options.some((o) => a === o || a.startsWith(`${o}=`)));

/**
 * `webhook register|delete|list [options]`: runs ops/register-webhook.ts (its options and
 * output unchanged) with defaults from the deploy config: `--oro-secret` = the config's
 * `oroSecretName` unless an Oro connection is given, and for `register` `--secret-name` = the
 * config's `webhook.secretName` unless a signing secret is given. Under `--local` its Secrets
 * Manager calls go to the local stack.
 *
 * @returns the exit code of register-webhook (0 ok, 1 failed, 2 usage)
 */
export const webhookCommand = async (ctx: OpsContext, action: WebhookActionName, argv: readonly string[], io: OpsIo): Promise<number> => {
  const args = [...argv];
  if (action === "delete") args.push("--delete");
  if (action === "list") args.push("--list");
  if (!has(args, "--oro-secret", "--oro-url")) args.push("--oro-secret", ctx.config.oroSecretName);
  if (action === "register" && !has(args, "--secret", "--secret-file", "--secret-name") && !io.env.WEBHOOK_SECRET && ctx.config.webhook?.secretName) {
    args.push("--secret-name", ctx.config.webhook.secretName);
  }
  // The SDK finds region and credentials in these variables; the store's clients are made after they are set.
  const env = process.env;
  const saved = { ...env };
  if (ctx.local) {
    env.AWS_ENDPOINT_URL_SECRETS_MANAGER = ctx.local.secretsManagerEndpoint;
    env.AWS_ENDPOINT_URL_SQS = ctx.local.sqsEndpoint;
    env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    delete env.AWS_PROFILE;
  }
  env.AWS_REGION = ctx.region;
  const aws = new AwsClients(env);
  try {
    return await registerWebhookMain(args, { out: io.out, err: io.err, env: io.env, readStdin: io.readStdin, secrets: createSecretStore(aws, env) });
  } catch (error) {
    io.err(`webhook ${action} failed: ${(error as Error).message}`);
    return ExitCode.failures;
  } finally {
    for (const key of Object.keys(env)) if (!(key in saved)) delete env[key];
    Object.assign(env, saved);
    aws.destroy();
  }
};
