import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * `npm run new:connector -- <name> [--like <connector>] [--root <dir>]`: generates a connector
 * that runs as generated (docs/connectors.md walks through it):
 * - functions/<name>/: connector.ts (definition, messages, ops check), settings.ts (the
 *   `defineConnector({ settings })` schema),
 *   apply-items.ts (look up Oro products by SKU, per-item failures with one-item replays),
 *   handler.ts (the Lambda entry), README.md;
 * - functions/registry.ts: the registry entry;
 * - deploy.config.json: an entry `{ "enabled": false }` under the first integration of the same type;
 * - test/<name>.test.ts: an end-to-end test on the shared rig (test/erp-local-stack.ts).
 * `--like` picks the integration type (the like connector's); default erp-stock. `--root` writes
 * into another checkout (the generator's own test uses a temporary copy).
 */

export class GeneratorError extends Error {
  override name = "GeneratorError";
}

export interface GenerateOptions {
  name: string;
  like?: string;
  root: string;
}

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (name: string) => camel(name).replace(/^./, (c) => c.toUpperCase());

/** The like connector's integration: the import its connector.ts makes of `shared/integrations/<type>`. */
const integrationOf = (root: string, like: string): { symbol: string; module: string; type: string } => {
  const path = join(root, "functions", like, "connector.ts");
  if (!existsSync(path)) throw new GeneratorError(`--like ${like}: there is no functions/${like}/connector.ts`);
  const match = /import \{ (\w+) \} from "\.\.\/\.\.\/shared\/integrations\/([\w-]+)"/.exec(readFileSync(path, "utf8"));
  if (!match) throw new GeneratorError(`--like ${like}: functions/${like}/connector.ts imports no integration type from shared/integrations/`);
  return { symbol: match[1] as string, module: `shared/integrations/${match[2]}`, type: match[2] as string };
};

/** Writes the files and edits; returns the repo-relative paths it wrote or changed. */
export const generateConnector = (options: GenerateOptions): string[] => {
  const { name, root } = options;
  const like = options.like ?? "erp-stock";
  if (!NAME.test(name)) throw new GeneratorError(`connector name "${name}" must be kebab-case (lower-case letters, digits, single hyphens), e.g. erp-prices`);
  const dir = join(root, "functions", name);
  if (existsSync(dir)) throw new GeneratorError(`functions/${name} already exists: pick another name or remove it`);
  const integration = integrationOf(root, like);
  const id = camel(name);
  const Id = pascal(name);
  const written: string[] = [];
  const write = (rel: string, text: string) => {
    writeFileSync(join(root, rel), text);
    written.push(rel);
  };

  // Registry first: it is the edit most likely to fail (an unexpected shape), before any file exists.
  const registryPath = join(root, "functions", "registry.ts");
  const registry = readFileSync(registryPath, "utf8");
  const list = /export const connectors: readonly [\w<>, ]+\[\] = \[([^\]]*)\];/.exec(registry);
  if (!list) throw new GeneratorError("functions/registry.ts: the `connectors` list was not found in its expected form; add the entry by hand");
  const imports = [...registry.matchAll(/^import .*;$/gm)];
  const lastImport = imports[imports.length - 1];
  if (!lastImport || lastImport.index === undefined) throw new GeneratorError("functions/registry.ts: no import found");
  const importEnd = lastImport.index + lastImport[0].length;
  let nextRegistry = `${registry.slice(0, importEnd)}\nimport { ${id} } from "./${name}/connector";${registry.slice(importEnd)}`;
  nextRegistry = nextRegistry.replace(list[0], list[0].replace(/\];$/, "").replace(/\s*$/, "") + `, ${id}];`);

  // Deploy config: the first integration of the same type gets the connector, disabled.
  const configPath = join(root, "deploy.config.json");
  const config = readFileSync(configPath, "utf8");
  const parsed = JSON.parse(config) as { integrations?: Array<{ name: string; type: string; connectors?: Record<string, unknown> }> };
  const target = parsed.integrations?.find((i) => i.type === integration.type);
  if (!target)
    throw new GeneratorError(`deploy.config.json has no integration of type "${integration.type}": add one (see docs/deploy.md), then run the generator again`);
  const block = new RegExp(`("name":\\s*"${target.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[\\s\\S]*?"connectors":\\s*\\{)(\\s*)`);
  const blockMatch = block.exec(config);
  if (!blockMatch) throw new GeneratorError(`deploy.config.json: the connectors of integration "${target.name}" were not found`);
  const indent = blockMatch[2] ?? "\n        ";
  const hasEntries = Object.keys(target.connectors ?? {}).length > 0;
  const nextConfig = config.replace(block, `$1${indent}"${name}": { "enabled": false }${hasEntries ? "," : ""}$2`);
  JSON.parse(nextConfig); // the edit must leave valid JSON

  mkdirSync(dir, { recursive: true });
  const files = templates({ name, id, Id, integration });
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  writeFileSync(registryPath, nextRegistry);
  written.push("functions/registry.ts");
  writeFileSync(configPath, nextConfig);
  written.push("deploy.config.json");
  return written;
};

interface TemplateInput {
  name: string;
  id: string;
  Id: string;
  integration: { symbol: string; module: string; type: string };
}

const templates = ({ name, id, Id, integration }: TemplateInput): Record<string, string> => ({
  [`functions/${name}/settings.ts`]: `import * as z from "zod/mini";
import type { ConnectorSettings } from "../../shared/connector";

/**
 * ${name} settings (deploy config \`integrations[].connectors["${name}"].settings\`), besides the common
 * keys of shared/connector/settings.ts. \`defineConnector({ settings })\` types \`ctx.settings\` with it;
 * \`cdk synth\`, the local stack and \`ops\` refuse a bad value or an unknown key with its path, and the
 * runtime parses the settings once per container.
 * - \`writeConcurrency\`: items written at a time (1..32, default 4).
 */
export const ${Id}SettingsSchema = z.strictObject({
  writeConcurrency: z._default(z.int().check(z.positive(), z.lte(32)), 4),
});
export type ${Id}SettingsSchema = typeof ${Id}SettingsSchema;
export type ${Id}Settings = ConnectorSettings<${Id}SettingsSchema>;
`,
  [`functions/${name}/messages.ts`]: `import * as z from "zod/mini";

/** Items one \`items\` message may carry (one invocation looks them up in a few requests). */
export const MAX_ITEMS = 500;

/** One item from the external system: the product's SKU and what to write on it. */
export const ItemSchema = z.object({ sku: z.string().check(z.minLength(1)), value: z.unknown() });
export type Item = z.infer<typeof ItemSchema>;

/** The messages ${name} accepts, by type. An item's replay is an \`items\` message of that one item. */
export const ${id}Messages = {
  items: z.object({ items: z.array(ItemSchema).check(z.minLength(1), z.maxLength(MAX_ITEMS)) }),
};
export type ${Id}Messages = typeof ${id}Messages;
`,
  [`functions/${name}/apply-items.ts`]: `import { type ConnectorContext, ItemFailures } from "../../shared/connector";
import { ValidationError } from "../../shared/errors";
import type { ${integration.symbol} } from "../../${integration.module}";
import type { NormalizedMessage } from "../../shared/messages";
import { findIdsByNaturalKey, PRODUCTS_BY_SKU } from "../../shared/oro";
import { mapWithConcurrency } from "../../shared/runtime";
import type { Item, ${Id}Messages } from "./messages";
import type { ${Id}SettingsSchema } from "./settings";

/** Metrics this connector counts (besides the runtime's). */
export const ${Id}Metric = { applied: "${Id}ItemsApplied", failed: "${Id}ItemsFailed" } as const;

type Context = ConnectorContext<ReturnType<(typeof ${integration.symbol})["createClient"]>, ${Id}Messages, ${Id}SettingsSchema>;

/**
 * Applies items to Oro: finds the products by SKU (shared/oro findIdsByNaturalKey, chunked
 * \`filter[sku]\`), then writes each found item (\`writeItem\`). An item whose SKU Oro does not
 * have fails alone, with an \`items\` replay of just that item (DLQ + alert); the rest lands.
 */
export const applyItems = async (items: readonly Item[], meta: NormalizedMessage, ctx: Context): Promise<void> => {
  const { settings } = ctx;
  const failures = new ItemFailures<${Id}Messages>(meta);
  const ids = await findIdsByNaturalKey(ctx.oro, PRODUCTS_BY_SKU, items.map((i) => i.sku), ctx.signal);
  const found: Array<{ item: Item; productId: string }> = [];
  for (const item of items) {
    const productId = ids.get(item.sku.toUpperCase());
    if (productId === undefined) {
      failures.add(new ValidationError(\`Oro has no product with SKU \${item.sku}: create it in Oro (or fix the SKU in the source), then redrive this item\`, { code: "UNKNOWN_SKU", externalId: item.sku }), {
        type: "items",
        key: item.sku,
        payload: { items: [item] },
      });
    } else found.push({ item, productId });
  }
  await mapWithConcurrency(found, settings.writeConcurrency, ({ item, productId }) => writeItem(item, productId, ctx));
  await failures.report(ctx);
  ctx.count(${Id}Metric.applied, found.length);
  ctx.count(${Id}Metric.failed, failures.size);
  ctx.logger.info("items applied", { applied: found.length, failed: failures.size });
};

/**
 * Writes one item on its Oro product. Generated as a no-op that logs: replace it with the write
 * this connector exists for (e.g. \`ctx.oro.update(...)\` or \`ctx.oro.batch(...)\`, see docs/oro-client.md).
 */
const writeItem = async (item: Item, productId: string, ctx: Context): Promise<void> => {
  ctx.logger.debug("item resolved", { sku: item.sku, productId });
};
`,
  [`functions/${name}/connector.ts`]: `import { defineConnector } from "../../shared/connector";
import { ${integration.symbol} } from "../../${integration.module}";
import { applyItems } from "./apply-items";
import { ${id}Messages } from "./messages";
import { ${Id}SettingsSchema } from "./settings";

/**
 * ${name}: items pushed to its queue (\`items\`, also the replay of a failed item) applied to Oro
 * products found by SKU. Generated by \`npm run new:connector\`; docs/connectors.md.
 */
export const ${id} = defineConnector({
  type: "${name}",
  label: "${name}",
  integrationType: ${integration.symbol},
  entity: "products",
  direction: "import",
  defaults: { batchSize: 5, timeoutSeconds: 60, memoryMb: 512 },
  settings: ${Id}SettingsSchema,
  messages: ${id}Messages,
  // What \`ops check\` verifies in Oro for it (docs/connectors.md "ops check"): add the writes \`writeItem\` makes.
  checks: { oroReads: [{ resource: "products", why: "products are looked up by SKU" }], oroWrites: [] },
  async handle(message, ctx) {
    switch (message.type) {
      case "items":
        return applyItems(message.payload.items, message.meta, ctx);
    }
  },
});
`,
  [`functions/${name}/handler.ts`]: `/** Lambda entry of the ${name} connector (bundled by the CDK stack from this path). */
import { createConnectorHandler } from "../../shared/runtime";
import { ${id} } from "./connector";

export const handler = createConnectorHandler(${id});
`,
  [`functions/${name}/README.md`]: `# ${name}

Generated by \`npm run new:connector -- ${name}\` (docs/connectors.md). Items pushed to the queue as
\`items\` messages (\`{ items: [{ sku, value }] }\`, at most 500) are applied to the Oro products found
by SKU; an item whose SKU Oro does not have goes to the DLQ alone, with an alert, as an \`items\`
message of just that item (a redrive retries only it).

- Settings: settings.ts (\`writeConcurrency\`), typed in \`ctx.settings\`; a bad value stops \`cdk synth\`, the local stack and \`ops\` with its path.
- The write itself: \`writeItem\` in apply-items.ts (generated as a no-op).
- Deploy: enabled with \`"enabled": true\` in deploy.config.json (generated disabled).
- Test: test/${name}.test.ts, on the shared rig (test/erp-local-stack.ts).
`,
  [`test/${name}.test.ts`]: `import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ${id} } from "../functions/${name}/connector";
import { loadDeployConfig } from "../infra/config";
import { DlqAttribute } from "../shared/runtime";
import { connectorRig, startErpStack } from "./erp-local-stack";
import type { ErpStack } from "./erp-local-stack";

let stack: ErpStack;

beforeAll(async () => {
  stack = await startErpStack();
});
afterAll(async () => {
  await stack.stop();
});
beforeEach(async () => {
  await stack.oro.admin.reset();
});

describe("${name} on the Oro sandbox", () => {
  it("applies the items of known SKUs and dead-letters an unknown SKU alone, with its replay and alert", async () => {
    const rig = await connectorRig(stack, ${id});
    await rig.send("items", "first", { items: [{ sku: "SKU-0001", value: 1 }, { sku: "NO-SUCH-SKU", value: 2 }, { sku: "sku-0002", value: 3 }] });
    expect(await rig.drain()).toMatchObject({ received: 1, failed: 0 });

    const dead = await rig.dlq();
    expect(dead).toHaveLength(1);
    const replay = JSON.parse(dead[0]?.Body ?? "{}") as { id: string; type: string; payload: unknown };
    expect({ id: replay.id, type: replay.type, payload: replay.payload }).toEqual({ id: "first/NO-SUCH-SKU", type: "items", payload: { items: [{ sku: "NO-SUCH-SKU", value: 2 }] } });
    expect(dead[0]?.MessageAttributes?.[DlqAttribute.code]?.StringValue).toBe("UNKNOWN_SKU");
    const alerts = await rig.alerts();
    expect(alerts.map((a) => [a.kind, a.kind === "failure" ? a.externalId : undefined])).toEqual([["failure", "NO-SUCH-SKU"]]);
    // One look-up for the three SKUs.
    expect(stack.oro.stats().byRoute["GET /admin/api/products"]).toBe(1);
  });

  it("dead-letters a message that breaks its schema, with the reason", async () => {
    const rig = await connectorRig(stack, ${id});
    await rig.send("items", "empty", { items: [] });
    expect(await rig.drain()).toMatchObject({ received: 1, failed: 0 });
    const dead = await rig.dlq();
    expect(dead.map((m) => m.MessageAttributes?.[DlqAttribute.code]?.StringValue)).toEqual(["MALFORMED_MESSAGE"]);
  });

  it("runs with its settings, and the deploy config refuses a bad one up front with its path", async () => {
    const rig = await connectorRig(stack, ${id}, { settings: { writeConcurrency: 1 } });
    await rig.send("items", "one-at-a-time", { items: [{ sku: "SKU-0001", value: 1 }] });
    expect(await rig.drain()).toMatchObject({ received: 1, failed: 0 });
    expect(await rig.dlq()).toEqual([]);

    // What cdk synth, the local stack and ops load: a wrong value and a typo are named, nothing deploys.
    const config = (settings: Record<string, unknown>) => ({
      oroSecretName: "oro-connectors/oro",
      integrations: [{ name: "main", type: "${integration.type}", secretName: "s/main", connectors: { "${name}": { settings } } }],
    });
    const registry = { connectors: [${id}] };
    expect(() => loadDeployConfig(config({ writeConcurrency: 0 }), registry)).toThrow("integrations[0].connectors.${name}.settings.writeConcurrency: Too small: expected number to be >0");
    expect(() => loadDeployConfig(config({ writeConcurency: 2 }), registry)).toThrow("integrations[0].connectors.${name}.settings.writeConcurency: is not a setting of this connector (a typo?)");
    expect(loadDeployConfig(config({ writeConcurrency: 32 }), registry).integrations[0]?.connectors["${name}"]?.settings).toEqual({ writeConcurrency: 32 });
  });
});
`,
});

/**
 * Formats the TypeScript files the generator wrote with the repository's Prettier settings, so
 * `npm test` (which checks formatting) passes right after generating.
 */
export const formatWritten = async (root: string, written: readonly string[]): Promise<void> => {
  const prettier = await import("prettier");
  for (const rel of written.filter((f) => f.endsWith(".ts"))) {
    const path = join(root, rel);
    const options = (await prettier.resolveConfig(path)) ?? {};
    writeFileSync(path, await prettier.format(readFileSync(path, "utf8"), { ...options, filepath: path }));
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const like = flag("--like");
  const root = flag("--root") ?? process.cwd();
  const [name] = args;
  try {
    if (!name) throw new GeneratorError("usage: npm run new:connector -- <name> [--like <connector>]");
    const written = generateConnector({ name, root, ...(like ? { like } : {}) });
    await formatWritten(root, written);
    console.log(written.map((f) => `  ${f}`).join("\n"));
    console.log(`connector ${name} generated; run: npx vitest run test/${name}.test.ts`);
  } catch (error) {
    console.error(error instanceof GeneratorError ? error.message : error);
    process.exitCode = 1;
  }
}
