import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { connectors } from "../functions/registry";
import {
  integrationstatuses,
  oroserverlesstransports,
  SERVERLESS_CHANNEL_TYPE as SANDBOX_CHANNEL_TYPE,
  STATUS_CODES,
} from "../sandboxes/oro/resources/integration";
import { CHANNEL_TYPE, driftOf, pascalCase, renderBundleFiles } from "../scripts/generate-oro-bundle";
import { INTEGRATION_STATUS_TYPE, SERVERLESS_CHANNEL_TYPE, STATUS_COMPLETED, STATUS_FAILED } from "../shared/oro/integration-status";
import { SCHEDULE_SYNC_TOPIC } from "../functions/webhook-ingress/schedule-sync";

/**
 * The bundle's integration part (docs/oro-integration.md): the generated files match
 * functions/registry.ts, and the bundle's api.yml, the sandbox's resources and the client agree on
 * the resources, lengths, codes and capabilities.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const BUNDLE = path.join(ROOT, "oro-bundle");
const STATUS = "Oro\\Bundle\\IntegrationBundle\\Entity\\Status";
const TRANSPORT = "OroServerless\\Bundle\\NotificationAlertApiBundle\\Entity\\ServerlessTransport";

type Field = { exclude?: boolean; form_options?: { constraints?: Record<string, unknown>[]; mapped?: boolean } };
type Entity = { fields: Record<string, Field>; actions: Record<string, false | { acl_resource?: string }>; filters: { fields: Record<string, unknown> } };
const api = parse(readFileSync(path.join(BUNDLE, "Resources/config/oro/api.yml"), "utf8")) as { api: { entities: Record<string, Entity> } };
const constraint = (field: Field | undefined, name: string) => field?.form_options?.constraints?.find((c) => name in c)?.[name];

describe("generated from functions/registry.ts", () => {
  it("the committed oro-bundle files are what the generator gives (run `npm run generate:oro-bundle`)", () => {
    expect(driftOf(renderBundleFiles(connectors))).toEqual([]);
  });

  it("registers one connector per registry connector, with Oro's tags, and the channel type and transport", () => {
    const services = (
      parse(renderBundleFiles(connectors).get("Resources/config/integration.yml") ?? "") as {
        services: Record<string, { class: string; tags?: { name: string; type?: string; channel_type?: string; integration?: string }[] }>;
      }
    ).services;
    const tags = Object.values(services).flatMap((s) => s.tags ?? []);
    expect(tags.filter((t) => t.name === "oro_integration.connector").map((t) => [t.type, t.channel_type])).toEqual(
      connectors.map((c) => [c.type, CHANNEL_TYPE]),
    );
    expect(tags.filter((t) => t.name === "oro_integration.channel")).toEqual([{ name: "oro_integration.channel", type: CHANNEL_TYPE }]);
    expect(tags.filter((t) => t.name === "oro_integration.transport")).toEqual([
      { name: "oro_integration.transport", type: CHANNEL_TYPE, channel_type: CHANNEL_TYPE },
    ]);
    expect(tags.filter((t) => t.name === "oro_integration.sync_processor")).toEqual([{ name: "oro_integration.sync_processor", integration: CHANNEL_TYPE }]);
    // Every class a service names exists in the bundle.
    for (const service of Object.values(services)) {
      const rel = service.class.replace("OroServerless\\Bundle\\NotificationAlertApiBundle\\", "").split("\\").join("/");
      const generated = renderBundleFiles(connectors).has(`${rel}.php`);
      expect(generated || readFileSync(path.join(BUNDLE, `${rel}.php`), "utf8").length > 0, service.class).toBe(true);
    }
  });

  it("writes each connector's type and label into its class", () => {
    const files = renderBundleFiles(connectors);
    for (const c of connectors) {
      const php = files.get(`Integration/Generated/Connector/${pascalCase(c.type)}Connector.php`) ?? "";
      expect(php).toContain(`public const TYPE = '${c.type}';`);
      expect(php).toContain(`public const LABEL = '${c.label.replace(/'/g, "\\'")}';`);
    }
  });

  it("detects drift: a changed, a missing and a stale file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bundle-drift-"));
    try {
      const files = renderBundleFiles(connectors);
      for (const [rel, content] of files) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), content);
      }
      expect(driftOf(files, dir)).toEqual([]);
      const [first, second] = [...files.keys()];
      writeFileSync(path.join(dir, first ?? ""), "changed");
      rmSync(path.join(dir, second ?? ""));
      writeFileSync(path.join(dir, "Integration/Generated/Connector/RetiredConnector.php"), "<?php\n");
      expect(driftOf(files, dir)).toEqual([
        `differs: oro-bundle/${first}`,
        `missing: oro-bundle/${second}`,
        "not generated (stale): oro-bundle/Integration/Generated/Connector/RetiredConnector.php",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a connector type Oro's Status.connector cannot hold or two connectors with one PHP class", () => {
    const base = connectors[0]!;
    expect(() => renderBundleFiles([{ ...base, type: "x".repeat(256) }])).toThrow("must be 1-255 characters");
    expect(() =>
      renderBundleFiles([
        { ...base, type: "a-b" },
        { ...base, type: "a--b" },
      ]),
    ).toThrow("two connectors map to the PHP class ABConnector");
  });
});

describe("one channel type, status type and topic everywhere", () => {
  it("client, generator, sandbox and the bundle's PHP name the same channel type and codes", () => {
    expect(SERVERLESS_CHANNEL_TYPE).toBe(CHANNEL_TYPE);
    expect(SANDBOX_CHANNEL_TYPE).toBe(CHANNEL_TYPE);
    expect(readFileSync(path.join(BUNDLE, "Integration/ServerlessChannelType.php"), "utf8")).toContain(`public const TYPE = '${CHANNEL_TYPE}';`);
    expect([STATUS_COMPLETED, STATUS_FAILED]).toEqual([...STATUS_CODES]);
    expect(readFileSync(path.join(BUNDLE, "Tests/Fixtures/platform/src/Oro/Bundle/IntegrationBundle/Entity/Status.php"), "utf8")).toMatch(
      /STATUS_COMPLETED = '1';[\s\S]*STATUS_FAILED\s+= '2';/,
    );
    expect(readFileSync(path.join(BUNDLE, "Integration/ScheduleSync/SyncRequestFactory.php"), "utf8")).toContain(
      `public const TOPIC = '${SCHEDULE_SYNC_TOPIC}';`,
    );
    expect(integrationstatuses.type).toBe(INTEGRATION_STATUS_TYPE);
  });
});

describe("the bundle's api.yml and the sandbox's resources agree", () => {
  const status = api.api.entities[STATUS] as Entity;
  const transport = api.api.entities[TRANSPORT] as Entity;
  const sandboxTransport = oroserverlesstransports(connectors.map((c) => c.type));

  it("integrationstatuses: Oro's two codes, 255-character connector, required message and channel, create guarded by the capability", () => {
    expect((constraint(status.fields.code, "Choice") as { choices: string[] }).choices).toEqual([...STATUS_CODES]);
    expect(integrationstatuses.attributes.code?.choices).toEqual(STATUS_CODES);
    expect(constraint(status.fields.connector, "Length")).toEqual({ max: integrationstatuses.attributes.connector?.maxLength });
    expect(integrationstatuses.attributes.message?.required).toBe(true);
    expect(constraint(status.fields.message, "NotBlank")).toBeNull();
    expect(integrationstatuses.relationships.channel?.required).toBe(true);
    const enabled = Object.entries(status.actions)
      .filter(([, a]) => a !== false)
      .map(([name]) => name)
      .sort();
    expect(enabled).toEqual([...integrationstatuses.actions].sort());
    expect((status.actions.create as { acl_resource: string }).acl_resource).toBe(integrationstatuses.aclResources?.create);
    expect(Object.keys(status.filters.fields).sort()).toEqual(Object.keys(integrationstatuses.filters).sort());
  });

  it("oroserverlesstransports: lengths, the actions and the capability", () => {
    for (const name of ["integration", "region", "ingressUrl"] as const) {
      expect(constraint(transport.fields[name], "Length"), name).toEqual({ max: sandboxTransport.attributes[name]?.maxLength });
    }
    const enabled = Object.entries(transport.actions)
      .filter(([, a]) => a !== false)
      .map(([name]) => name)
      .sort();
    expect(enabled).toEqual([...sandboxTransport.actions].sort());
    expect((transport.actions.create as { acl_resource: string }).acl_resource).toBe(sandboxTransport.aclResources?.create);
    expect((transport.actions.update as { acl_resource: string }).acl_resource).toBe(sandboxTransport.aclResources?.update);
    expect(transport.fields.webhook?.exclude).toBe(true);
  });
});
