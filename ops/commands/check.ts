import * as z from "zod/mini";
import type { IntegrationType, OroReadCheck } from "../../shared/connector";
import { AuthError, describeError } from "../../shared/errors";
import { HttpError, safeUrl } from "../../shared/http";
import { createOroClient, OroAuthError, OroConnectionSchema, OroForbiddenError, OroNotFoundError, OroTokenSource } from "../../shared/oro";
import type { OroConnection } from "../../shared/oro";
import { redact } from "../../shared/observability";
import type { OpsContext } from "../context";
import { isUnreachable, UnreachableError } from "../errors";
import { connectorProbes, externalProbe } from "./check-probes";
import { checkWebhookOwners, NOTIFIER_WRITES, ORO_WRITES, probeWrite } from "./check-permissions";

import type { CheckItem } from "./check-item";

export type { CheckItem } from "./check-item";

/** Outcome of {@link checkIntegration}. */
export interface CheckResult {
  integration: string;
  type: string;
  ok: boolean;
  checks: CheckItem[];
}

/** The Oro resource the notifier writes alerts to (docs/alert-contract.md). */
const ALERTS_RESOURCE = "notificationalerts";
/** A check call gets one attempt and this long: a check reports, it does not wait out outages. */
const CHECK_TIMEOUT_MS = 15_000;

const text = (error: unknown) => redact(describeError(error));
/** A base URL as printed: no user info, no secret-looking query values, and registered secrets masked. */
const printableBaseUrl = (url: string): string => redact(safeUrl(url)).replace(/\/$/, "");

/** A hint for a failure of an HTTP call to `system`. */
const hintFor = (error: unknown, system: string, secretName: string): string => {
  if (error instanceof AuthError)
    return `${system} refused the credentials: check the client id/secret (and user/password) in secret "${secretName}" and that the API client is active`;
  if (error instanceof HttpError && error.status === undefined)
    return `${system} is not reachable: check baseUrl in secret "${secretName}", DNS, and that the network (VPC, firewall) allows the call`;
  if (error instanceof HttpError)
    return `${system} answered HTTP ${error.status}: check baseUrl in secret "${secretName}" points at the API and the service is up`;
  return `see the error; the secret is "${secretName}"`;
};

/**
 * Checks that an integration can work: its secret exists and has the shape of its integration
 * type's settings; the Oro connection secret too; an Oro token can be obtained; the Oro API user
 * can read what the connectors and the notifier need (`<entity>?page[size]=1` for each enabled
 * connector's entity, and `notificationalerts`); and the external system accepts the
 * credentials (the integration type client's `check()` / `ping()` when it has one, else a
 * one-item read per known type). Write permissions are probed without writing (check-permissions.ts:
 * CREATE/EDIT per resource a connector or the notifier writes), and each webhook of a consumed
 * topic must be owned by the API user, who must have VIEW on the entity (Oro skips deliveries
 * silently otherwise). A check changes no data.
 *
 * Throws {@link UnreachableError} when Secrets Manager itself cannot be reached (exit 3); every
 * other problem is a failed check with a hint (exit 1).
 */
export const checkIntegration = async (ctx: OpsContext, integrationName: string): Promise<CheckResult> => {
  const integration = ctx.integration(integrationName);
  const connectors = ctx.connectors.filter((c) => c.integration === integrationName);
  const definition = ctx.registry.connectors.find((c) => c.integrationType.type === integration.type);
  const integrationType = definition?.integrationType as IntegrationType | undefined;
  const checks: CheckItem[] = [];
  const add = (item: CheckItem) => checks.push(item);

  const readSecret = async (name: string, label: string): Promise<unknown> => {
    try {
      const value = await ctx.secrets.get(name, z.unknown());
      add({ name: `${label} secret`, status: "ok", detail: `"${name}" exists and is JSON` });
      return value;
    } catch (error) {
      if (isUnreachable(error))
        throw new UnreachableError(
          `cannot reach Secrets Manager${ctx.local ? ` at ${ctx.local.secretsManagerEndpoint}` : ` in ${ctx.region}`}: ${text(error)}`,
          { cause: error },
        );
      add({
        name: `${label} secret`,
        status: "failed",
        detail: text(error),
        hint: `create or fix "${name}" in Secrets Manager (docs/deploy.md lists its JSON shape)`,
      });
      return undefined;
    }
  };

  // 1. The integration's secret and its shape.
  let settings: unknown;
  if ((await readSecret(integration.secretName, integration.type)) !== undefined) {
    if (!integrationType) {
      add({
        name: `${integration.type} settings`,
        status: "skipped",
        detail: `no connector of type '${integration.type}' is registered, so its settings schema is unknown`,
      });
    } else {
      try {
        settings = await ctx.secrets.get(integration.secretName, integrationType.settings);
        add({ name: `${integration.type} settings`, status: "ok", detail: `secret matches the ${integrationType.label} settings schema` });
      } catch (error) {
        add({
          name: `${integration.type} settings`,
          status: "failed",
          detail: text(error),
          hint: `fix the listed fields of "${integration.secretName}" (schema: shared/integrations/${integration.type})`,
        });
      }
    }
  }

  // 2. The Oro connection secret and its shape.
  let connection: OroConnection | undefined;
  if ((await readSecret(ctx.config.oroSecretName, "Oro")) !== undefined) {
    try {
      connection = await ctx.secrets.get(ctx.config.oroSecretName, OroConnectionSchema);
      add({ name: "Oro connection settings", status: "ok", detail: `baseUrl ${printableBaseUrl(connection.baseUrl)}, API prefix ${connection.apiPrefix}` });
    } catch (error) {
      add({
        name: "Oro connection settings",
        status: "failed",
        detail: text(error),
        hint: `"${ctx.config.oroSecretName}" must be {"baseUrl","apiPrefix"?,"clientId","clientSecret"}`,
      });
    }
  }

  // 3. Oro: token, then read access per resource the connectors and the notifier use.
  if (connection) {
    const current = connection;
    const options = { retry: { attempts: 1 }, timeoutMs: CHECK_TIMEOUT_MS };
    let tokenOk = false;
    try {
      await new OroTokenSource(async () => current, options).get();
      tokenOk = true;
      add({ name: "Oro authentication", status: "ok", detail: `OAuth2 client credentials accepted at ${printableBaseUrl(current.baseUrl)}/oauth2-token` });
    } catch (error) {
      const hint =
        error instanceof OroAuthError
          ? `Oro refused clientId/clientSecret of "${ctx.config.oroSecretName}": check the OAuth application (System > User Management > OAuth Applications, client credentials grant) is active`
          : hintFor(error, "Oro", ctx.config.oroSecretName);
      add({ name: "Oro authentication", status: "failed", detail: text(error), hint });
    }
    if (tokenOk) {
      const oro = createOroClient({ getConnection: async () => current, ...options });
      // Each connector's declared reads (default `GET <entity>?page[size]=1`), one check per distinct read, then the notifier's.
      const reads = new Map<string, { read: OroReadCheck; users: string[] }>();
      for (const c of connectors) {
        const declared = ctx.registry.connectors.find((d) => d.type === c.connector)?.checks?.oroReads ?? [{ resource: c.entity }];
        for (const read of declared) {
          const key = `${read.resource}?${JSON.stringify(read.filter ?? {})}`;
          const entry = reads.get(key) ?? { read, users: [] };
          entry.users.push(c.connector);
          reads.set(key, entry);
        }
      }
      reads.set(ALERTS_RESOURCE, { read: { resource: ALERTS_RESOURCE }, users: ["the notifier"] });
      for (const { read, users } of reads.values()) {
        const resource = read.resource;
        const filters = Object.entries(read.filter ?? {})
          .map(([k, v]) => `filter[${k}]=${v}&`)
          .join("");
        try {
          await oro.list(resource, { page: { size: 1 }, ...(read.filter ? { filter: read.filter } : {}) });
          add({
            name: `Oro read ${resource}`,
            status: "ok",
            detail: `GET ${current.apiPrefix}/${resource}?${filters}page[size]=1 allowed (used by ${users.join(", ")}${read.why ? `: ${read.why}` : ""})`,
          });
        } catch (error) {
          let hint = hintFor(error, "Oro", ctx.config.oroSecretName);
          if (error instanceof OroForbiddenError)
            hint = `the API user's role needs VIEW (and for writers CREATE/EDIT) on ${resource}: System > User Management > Roles`;
          if (error instanceof OroNotFoundError && resource === ALERTS_RESOURCE)
            hint = "Oro has no notificationalerts API: install the companion bundle (oro-bundle/, docs/alert-contract.md)";
          else if (error instanceof OroNotFoundError)
            hint = `Oro has no '${resource}' API resource: check the apiPrefix of "${ctx.config.oroSecretName}" and the Oro edition`;
          add({ name: `Oro read ${resource}`, status: "failed", detail: text(error), hint });
        }
      }
      // Write rights and the webhook owner's VIEW (docs/deploy.md "Oro permissions").
      const writes = new Map<string, { resource: string; permission: "CREATE" | "EDIT"; users: string[] }>();
      for (const [users, list] of [
        ...connectors.map(
          (c) => [c.connector, ctx.registry.connectors.find((d) => d.type === c.connector)?.checks?.oroWrites ?? ORO_WRITES[c.connector] ?? []] as const,
        ),
        ["the notifier", NOTIFIER_WRITES] as const,
      ]) {
        for (const w of list) {
          const key = `${w.permission} ${w.resource}`;
          writes.set(key, { ...w, users: [...(writes.get(key)?.users ?? []), users] });
        }
      }
      for (const write of writes.values()) add(await probeWrite(oro, write.resource, write.permission, write.users.join(", ")));
      for (const item of await checkWebhookOwners(oro, connectors)) add(item);
    } else {
      add({ name: "Oro permissions", status: "skipped", detail: "no token, so the API permissions were not checked" });
    }
  }

  // 4. The external system.
  if (integrationType && settings !== undefined) {
    const current = settings;
    const client = integrationType.createClient(async () => current);
    const probe = externalProbe(integration.type, client);
    if (!probe) {
      add({
        name: `${integration.type} connection`,
        status: "skipped",
        detail: `the ${integrationType.label} client exposes no check() or ping(), and ops/commands/check-probes.ts has no probe for it: only the secret's shape was checked`,
      });
    } else {
      try {
        await probe.run(AbortSignal.timeout(CHECK_TIMEOUT_MS));
        add({ name: `${integration.type} connection`, status: "ok", detail: probe.description });
        for (const check of connectors.flatMap((c) =>
          connectorProbes(
            c,
            ctx.registry.connectors.find((d) => d.type === c.connector),
            client,
          ),
        )) {
          await check.run(AbortSignal.timeout(CHECK_TIMEOUT_MS)).then(
            (detail) => add({ name: check.name, status: "ok", detail }),
            (error: unknown) => add({ name: check.name, status: "failed", detail: text(error), hint: check.hint }),
          );
        }
      } catch (error) {
        add({
          name: `${integration.type} connection`,
          status: "failed",
          detail: `${probe.description}: ${text(error)}`,
          hint: hintFor(error, integrationType.label, integration.secretName),
        });
      }
    }
  }

  return { integration: integrationName, type: integration.type, ok: checks.every((c) => c.status !== "failed"), checks };
};

/** Text form of a check result. */
export const formatCheck = (r: CheckResult): string => {
  const mark = { ok: "ok  ", failed: "FAIL", skipped: "skip" } as const;
  const lines = [`check ${r.integration} (${r.type}):`];
  for (const c of r.checks) {
    lines.push(`  [${mark[c.status]}] ${c.name}: ${c.detail}`);
    if (c.hint && c.status === "failed") lines.push(`         -> ${c.hint}`);
  }
  lines.push(r.ok ? "all checks passed" : `${r.checks.filter((c) => c.status === "failed").length} check(s) failed`);
  return lines.join("\n");
};
