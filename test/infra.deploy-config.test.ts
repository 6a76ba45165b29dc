import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import {
  DEPLOY_CONFIG_SCHEMA_PATH,
  DeployConfigError,
  REPO_ROOT,
  deployConfigJsonSchema,
  loadDeployConfig,
  resolveConnectorSettings,
  resolveShared,
} from "../infra/config";
import { connectors } from "../functions/registry";
import { WebhookSecretSchema } from "../functions/webhook-ingress";
import { SecretStore } from "../shared/secrets";
import { REFERENCE_CONFIG, fixtureRegistry } from "./fixtures/infra/registry";

/** A minimal valid config with one ERP integration of the fixture registry. */
const erpConfig = (integration: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  oroSecretName: "oro",
  region: "eu-central-1",
  integrations: [{ name: "erp-main", type: "erp", secretName: "erp", connectors: { "erp-stock": {} }, ...integration }],
  ...extra,
});

const problems = (config: unknown): string[] => {
  try {
    loadDeployConfig(config, fixtureRegistry);
  } catch (error) {
    expect(error).toBeInstanceOf(DeployConfigError);
    return (error as DeployConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("the config was accepted");
};

const KEY = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("Deploy config: VPC placement per integration", () => {
  it("resolves an integration's subnets and security groups onto each of its connectors", () => {
    const vpc = { subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], securityGroupIds: ["sg-0123456789abcdef0"] };
    const config = loadDeployConfig(erpConfig({ vpc, connectors: { "erp-stock": {}, "oro-orders-to-erp": {} } }), fixtureRegistry);
    const resolved = resolveConnectorSettings(config, fixtureRegistry);
    expect(resolved.map((c) => [c.connector, c.vpc])).toEqual([
      ["erp-stock", vpc],
      ["oro-orders-to-erp", vpc],
    ]);
  });

  it("leaves a connector out of any VPC when its integration has none", () => {
    const [stock] = resolveConnectorSettings(loadDeployConfig(erpConfig(), fixtureRegistry), fixtureRegistry);
    expect(stock?.vpc).toBeUndefined();
  });

  it("rejects bad ids, empty and oversized lists and duplicates, each at its path", () => {
    expect(problems(erpConfig({ vpc: { subnetIds: ["subnet-12", "vpc-0123456789abcdef0"], securityGroupIds: [] } }))).toEqual([
      "integrations[0].vpc.subnetIds[0]: a subnet id such as subnet-0123456789abcdef0",
      "integrations[0].vpc.subnetIds[1]: a subnet id such as subnet-0123456789abcdef0",
      "integrations[0].vpc.securityGroupIds: Too small: expected array to have >=1 items",
    ]);
    const subnets = Array.from({ length: 17 }, (_, i) => `subnet-${String(i).padStart(8, "0")}`);
    expect(problems(erpConfig({ vpc: { subnetIds: subnets, securityGroupIds: ["sg-0123456789abcdef0", "sg-0123456789abcdef0"] } }))).toEqual([
      "integrations[0].vpc.subnetIds: Too big: expected array to have <=16 items",
      "integrations[0].vpc.securityGroupIds: each security group once",
    ]);
    expect(problems(erpConfig({ vpc: { subnetIds: ["subnet-0123456789abcdef0"] } }))).toEqual([
      "integrations[0].vpc.securityGroupIds: Invalid input: expected array, received undefined",
    ]);
  });
});

describe("Deploy config: customer-managed KMS keys of the secrets", () => {
  it("hands the keys to every connector and the shared pieces", () => {
    const config = loadDeployConfig(erpConfig({}, { secretsKmsKeyArns: [KEY] }), fixtureRegistry);
    expect(resolveShared(config).secretsKmsKeyArns).toEqual([KEY]);
    expect(resolveConnectorSettings(config, fixtureRegistry)[0]?.secretsKmsKeyArns).toEqual([KEY]);
    expect(resolveShared(loadDeployConfig(erpConfig(), fixtureRegistry)).secretsKmsKeyArns).toEqual([]);
  });

  it("refuses an alias, a key of another Region, and an empty list", () => {
    expect(problems(erpConfig({}, { secretsKmsKeyArns: ["arn:aws:kms:eu-central-1:123456789012:alias/secrets"] }))).toEqual([
      "secretsKmsKeyArns[0]: a KMS key ARN such as arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)",
    ]);
    expect(problems(erpConfig({}, { secretsKmsKeyArns: [KEY.replace("eu-central-1", "us-east-1")] }))).toEqual([
      "secretsKmsKeyArns[0]: the key is in us-east-1, the stack in eu-central-1: Secrets Manager only uses keys of the secret's own Region",
    ]);
    expect(problems(erpConfig({}, { secretsKmsKeyArns: [] }))).toEqual(["secretsKmsKeyArns: Too small: expected array to have >=1 items"]);
  });
});

describe("Deploy config JSON Schema", () => {
  const checkedIn = JSON.parse(readFileSync(join(REPO_ROOT, DEPLOY_CONFIG_SCHEMA_PATH), "utf8")) as Record<string, unknown>;
  // Formats off: the email field's pattern checks the same, and ajv-formats is not a dependency.
  const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(checkedIn);

  it("is checked in and current (npm run schema:deploy-config regenerates it)", () => {
    expect(checkedIn).toEqual(deployConfigJsonSchema({ connectors }));
  });

  it("is what deploy.config.json names in $schema, and the loader accepts the key", () => {
    const path = join(REPO_ROOT, "deploy.config.json");
    const shipped = JSON.parse(readFileSync(path, "utf8")) as { $schema?: string };
    expect(shipped.$schema).toBe("./schemas/deploy-config.schema.json");
    expect(resolve(dirname(path), shipped.$schema!)).toBe(join(REPO_ROOT, DEPLOY_CONFIG_SCHEMA_PATH));
    expect(loadDeployConfig(path, { connectors: fixtureRegistry.connectors }).$schema).toBe("./schemas/deploy-config.schema.json");
  });

  it("accepts the shipped config, and the reference config with the fixture registry's schema", () => {
    const shipped = join(REPO_ROOT, "deploy.config.json");
    expect(validate(JSON.parse(readFileSync(shipped, "utf8"))), JSON.stringify(validate.errors)).toBe(true);
    const fixture = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(deployConfigJsonSchema(fixtureRegistry));
    expect(fixture(JSON.parse(readFileSync(REFERENCE_CONFIG, "utf8"))), JSON.stringify(fixture.errors)).toBe(true);
  });

  it("carries each connector's settings schema: a typo or a wrong value fails in the editor too", () => {
    const config = (settings: Record<string, unknown>) => ({
      oroSecretName: "o",
      integrations: [{ name: "erp-main", type: "erp", secretName: "e", connectors: { "erp-stock": { settings } } }],
    });
    expect(validate(config({ pageSize: 500, warehouse: "main", maxChainHops: 20 }))).toBe(true);
    expect(validate(config({ pageSiz: 500 }))).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`)).toEqual([
      '/integrations/0/connectors/erp-stock/settings additionalProperties {"additionalProperty":"pageSiz"}',
    ]);
    expect(validate(config({ inventoryWrite: "bulk" }))).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(["/integrations/0/connectors/erp-stock/settings/inventoryWrite enum"]);
    // A connector the registry does not have is refused as well.
    expect(validate({ oroSecretName: "o", integrations: [{ name: "x", type: "erp", secretName: "e", connectors: { "erp-stok": {} } }] })).toBe(false);
  });

  it("rejects what the loader rejects for its shape: an unknown key, a bad subnet id, a bad KMS key", () => {
    const bad = erpConfig(
      { vpc: { subnetIds: ["subnet-12"], securityGroupIds: ["sg-0123456789abcdef0"] } },
      { secretsKmsKeyArns: ["alias/x"], colour: "blue" },
    );
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`).sort()).toEqual([
      " additionalProperties",
      "/integrations/0/vpc/subnetIds/0 pattern",
      "/secretsKmsKeyArns/0 pattern",
    ]);
    expect(problems(bad)).toHaveLength(3);
  });
});

describe("Deploy config: the webhook signing secret's shape, as webhook.secretName documents it", () => {
  // A stand-in Secrets Manager client: this checks the store's parsing and the ingress schema only.
  const storeHolding = (secretString: string) => new SecretStore({ client: async () => ({ send: async () => ({ SecretString: secretString }) }) as never });
  const key = "0123456789abcdef0123456789abcdef";

  it("is a JSON object with `secret` (and `previousSecret` during a rotation)", async () => {
    await expect(storeHolding(JSON.stringify({ secret: key })).get("hook", WebhookSecretSchema)).resolves.toEqual({ secret: key });
  });

  it("refuses a plain-string secret, saying to store a JSON object", async () => {
    await expect(storeHolding(key).get("hook", WebhookSecretSchema)).rejects.toThrow('secret "hook" is not valid JSON: store a JSON object in it');
  });
});
