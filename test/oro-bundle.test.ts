/**
 * Static checks of the companion Oro bundle (oro-bundle/) against the alert contract
 * (docs/alert-contract.md): PHP syntax with `php -l`, YAML syntax, and the API/ACL
 * configuration compared with the contract's machine-readable block, so the document and
 * the bundle cannot drift apart. Oro itself is not booted here.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUNDLE = path.join(ROOT, "oro-bundle");
const CONTRACT_DOC = path.join(ROOT, "docs", "alert-contract.md");
const ENTITY = "Oro\\Bundle\\NotificationBundle\\Entity\\NotificationAlert";
/** The integration part of the bundle (docs/oro-integration.md; checked in test/oro-integration-bundle.test.ts). */
const INTEGRATION_ENTITIES = [
  "Oro\\Bundle\\IntegrationBundle\\Entity\\Status",
  "OroServerless\\Bundle\\NotificationAlertApiBundle\\Entity\\ServerlessTransport",
];
const INTEGRATION_CAPABILITIES = ["oro_serverless_integration_status_create", "oro_serverless_integration_register"];
/** apt-get on a fresh CI machine takes a while; the hook gets a little more than the script. */
const ENSURE_PHP_TIMEOUT_MS = 180_000;

type Attribute = {
  type: string;
  maxLength?: number;
  required?: boolean;
  nullable?: boolean;
  enum?: string[];
  default?: unknown;
  readOnly?: boolean;
};
type Contract = {
  type: string;
  path: string;
  entity: string;
  attributes: Record<string, Attribute>;
  actions: Record<string, { aclResource?: string; writable?: string[] }>;
  disabledActions: string[];
  upsert: boolean;
  filters: Record<string, { type: string; array?: boolean; range?: boolean }>;
  sorters: string[];
  dedupKey: string[];
  additionalInfo: string[];
};
type Constraint = Record<string, unknown>;
type FieldConfig = {
  exclude?: boolean;
  direction?: string;
  form_options?: { mapped?: boolean; constraints?: Constraint[] };
};
type EntityConfig = {
  documentation_resource: string;
  upsert?: boolean;
  fields: Record<string, FieldConfig>;
  filters: { exclusion_policy?: string; fields: Record<string, { data_type?: string; allow_array?: boolean; allow_range?: boolean }> };
  sorters: { exclusion_policy?: string; fields: Record<string, unknown> };
  actions: Record<string, false | { acl_resource?: string; exclude?: boolean; fields?: Record<string, FieldConfig> }>;
};

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

function rel(file: string): string {
  return path.relative(ROOT, file);
}

/** The YAML block between `<!-- contract:begin -->` and `<!-- contract:end -->`. */
function readContract(markdown: string): Contract {
  const match = /<!-- contract:begin -->\s*```yaml\n([\s\S]*?)```\s*<!-- contract:end -->/.exec(markdown);
  if (!match?.[1]) throw new Error("docs/alert-contract.md has no contract block");
  return parse(match[1]) as Contract;
}

/** The markdown tables (rows of cells, header and separator dropped) of the section `## <heading>`. */
function tablesUnder(markdown: string, heading: string): string[][][] {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const section = markdown.slice(start + 1).split(/\n## /)[0] ?? "";
  const tables: string[][][] = [];
  let current: string[] = [];
  for (const line of [...section.split("\n"), ""]) {
    if (line.startsWith("|")) {
      current.push(line);
    } else if (current.length > 0) {
      tables.push(
        current.slice(2).map((row) =>
          row
            .split("|")
            .slice(1, -1)
            .map((cell) => cell.trim()),
        ),
      );
      current = [];
    }
  }
  return tables;
}

function constraintOf(field: FieldConfig | undefined, name: string): unknown {
  const found = field?.form_options?.constraints?.find((c) => name in c);
  return found ? found[name] : undefined;
}

function yamlAt(relPath: string): unknown {
  return parse(readFileSync(path.join(BUNDLE, relPath), "utf8"));
}

const markdown = readFileSync(CONTRACT_DOC, "utf8");
const contract = readContract(markdown);
const files = listFiles(BUNDLE);
const phpFiles = files.filter((f) => f.endsWith(".php"));
/** The bundle's own classes (tests included); Tests/Fixtures holds Oro/Symfony namespaces, bootstrap.php and Tests/bin/ scripts no class. */
const bundleClassFiles = phpFiles.filter(
  (f) => !rel(f).startsWith("oro-bundle/Tests/Fixtures/") && rel(f) !== "oro-bundle/Tests/bootstrap.php" && !rel(f).startsWith("oro-bundle/Tests/bin/"),
);
const processorFiles = phpFiles.filter((f) => rel(f).startsWith("oro-bundle/Api/Processor/"));
const yamlFiles = files.filter((f) => /\.ya?ml$/.test(f));
const api = yamlAt("Resources/config/oro/api.yml") as { api: { entities: Record<string, EntityConfig> } };
const entity = api.api.entities[ENTITY] as EntityConfig;

// PHP and PHPUnit for every test of this file (Debian packages, installed when missing and root).
beforeAll(() => {
  const result = spawnSync("sh", [path.join(ROOT, "scripts", "ensure-php.sh")], {
    encoding: "utf8",
    timeout: ENSURE_PHP_TIMEOUT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`scripts/ensure-php.sh failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  }
}, ENSURE_PHP_TIMEOUT_MS + 20_000);

describe("oro-bundle: PHP", () => {
  it("finds the PHP files of the bundle", () => {
    expect(phpFiles.map(rel).sort()).toEqual(
      expect.arrayContaining([
        "oro-bundle/OroServerlessNotificationAlertApiBundle.php",
        "oro-bundle/DependencyInjection/OroServerlessNotificationAlertApiExtension.php",
      ]),
    );
  });

  it("has a php -l that rejects broken code", () => {
    // Prepare: make sure the check below can fail at all.
    const dir = mkdtempSync(path.join(tmpdir(), "php-lint-"));
    const broken = path.join(dir, "Broken.php");
    writeFileSync(broken, "<?php\nclass Broken {\n    public function f( {\n}\n");
    try {
      // Act
      const result = spawnSync("php", ["-l", broken], { encoding: "utf8" });
      // Assess
      expect(result.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(phpFiles.map(rel))("lints %s with php -l", (file) => {
    const out = execFileSync("php", ["-l", path.join(ROOT, file)], { encoding: "utf8" });
    expect(out).toContain("No syntax errors detected");
  });

  it("declares every PHP class under its PSR-4 path from composer.json", () => {
    const composer = JSON.parse(readFileSync(path.join(BUNDLE, "composer.json"), "utf8")) as {
      name: string;
      autoload: { "psr-4": Record<string, string> };
    };
    expect(composer.name).toBe("oro-serverless/notification-alert-api-bundle");
    const [prefix, dir] = Object.entries(composer.autoload["psr-4"])[0] ?? ["", ""];
    expect(prefix).toBe("OroServerless\\Bundle\\NotificationAlertApiBundle\\");
    for (const file of bundleClassFiles) {
      const source = readFileSync(file, "utf8");
      const relative = path.relative(path.join(BUNDLE, dir), file).replace(/\.php$/, "");
      const expectedFqcn = prefix + relative.split(path.sep).join("\\");
      const ns = /^namespace ([^;]+);/m.exec(source)?.[1];
      const cls = /^(?:final |abstract )?(?:class|interface|trait) (\w+)/m.exec(source)?.[1];
      expect(`${ns}\\${cls}`, rel(file)).toBe(expectedFqcn);
    }
  });
});

describe("oro-bundle: PHPUnit (oro-bundle/Tests)", () => {
  it("has a unit test class for every processor of the bundle", () => {
    expect(processorFiles.length).toBeGreaterThan(0);
    for (const file of processorFiles) {
      const test = path.join(BUNDLE, "Tests", "Unit", path.relative(BUNDLE, file).replace(/\.php$/, "Test.php"));
      expect(existsSync(test), rel(test)).toBe(true);
    }
  });

  it("passes the bundle's PHPUnit suite", () => {
    let report = "";
    // ensure-php.sh (beforeAll above) installed Debian's phpunit when it was missing.
    const dir = mkdtempSync(path.join(tmpdir(), "phpunit-"));
    const junit = path.join(dir, "junit.xml");
    try {
      const result = spawnSync("phpunit", ["-c", path.join(BUNDLE, "phpunit.xml.dist"), "--log-junit", junit], { encoding: "utf8", timeout: 120_000 });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
      report = readFileSync(junit, "utf8");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Every processor's test class ran at least one test, none was skipped.
    for (const file of processorFiles) {
      const name = path.basename(file, ".php");
      expect(report, name).toMatch(new RegExp(`<testsuite name="[^"]*\\\\${name}Test" [^>]*tests="[1-9]`));
    }
    expect(report).toMatch(/<testsuite name="unit" [^>]*skipped="0"/);
  });
});

describe("oro-bundle: YAML", () => {
  it.each(yamlFiles.map(rel))("parses %s without errors or duplicate keys", (file) => {
    const doc = parseDocument(readFileSync(path.join(ROOT, file), "utf8"));
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    expect(doc.toJS()).toBeTypeOf("object");
  });

  it("registers the bundle class in bundles.yml", () => {
    const bundles = yamlAt("Resources/config/oro/bundles.yml") as { bundles: { name: string }[] };
    const names = bundles.bundles.map((b) => b.name);
    expect(names).toEqual(["OroServerless\\Bundle\\NotificationAlertApiBundle\\OroServerlessNotificationAlertApiBundle"]);
    expect(existsSync(path.join(BUNDLE, "OroServerlessNotificationAlertApiBundle.php"))).toBe(true);
  });

  it("wires services to classes that exist in the bundle", () => {
    const services = yamlAt("Resources/config/services_api.yml") as {
      services: Record<string, { class: string; tags: { name: string; class?: string }[] }>;
    };
    expect(Object.keys(services.services).length).toBeGreaterThan(0);
    for (const service of Object.values(services.services)) {
      const relative = service.class.replace("OroServerless\\Bundle\\NotificationAlertApiBundle\\", "").split("\\").join("/");
      expect(existsSync(path.join(BUNDLE, `${relative}.php`)), service.class).toBe(true);
      for (const tag of service.tags) {
        expect(tag.name).toBe("oro.api.processor");
        expect([ENTITY, ...INTEGRATION_ENTITIES]).toContain(tag.class);
      }
    }
  });
});

describe("oro-bundle: api.yml follows docs/alert-contract.md", () => {
  it("declares the contract's entity with a documentation resource that exists", () => {
    expect(contract.entity).toBe(ENTITY);
    expect(Object.keys(api.api.entities)).toEqual([ENTITY, ...INTEGRATION_ENTITIES]);
    const docPath = entity.documentation_resource.replace("@OroServerlessNotificationAlertApiBundle/", "");
    const doc = readFileSync(path.join(BUNDLE, docPath), "utf8");
    expect(doc.split("\n")[0]).toBe(`# ${ENTITY}`);
    for (const action of Object.keys(contract.actions)) {
      expect(doc).toContain(`\n### ${action}\n`);
    }
  });

  it("names the type Oro derives from the entity and the URL under /admin/api", () => {
    // Oro's automatic plural alias is the lower-cased short class name + "s".
    expect(contract.type).toBe(`${ENTITY.split("\\").pop()?.toLowerCase()}s`);
    expect(contract.path).toBe(`/admin/api/${contract.type}`);
  });

  it("enables exactly the contract's actions with its ACL resources", () => {
    for (const [name, spec] of Object.entries(contract.actions)) {
      const action = entity.actions[name];
      expect(action, name).not.toBe(false);
      expect(action && action.exclude, name).not.toBe(true);
      expect(action && action.acl_resource, name).toBe(spec.aclResource);
    }
    for (const name of contract.disabledActions) {
      expect(entity.actions[name], name).toBe(false);
    }
    expect(entity.upsert).toBe(contract.upsert);
  });

  it("lets update change only the contract's writable attributes", () => {
    const update = entity.actions.update;
    if (!update) throw new Error("update action is disabled");
    const writable = new Set(contract.actions.update?.writable);
    const fixed = Object.entries(contract.attributes)
      .filter(([name, attr]) => !attr.readOnly && !writable.has(name))
      .map(([name]) => name);
    expect(fixed.length).toBeGreaterThan(0);
    for (const name of fixed) {
      expect(update.fields?.[name]?.direction, name).toBe("output-only");
    }
    for (const name of writable) {
      expect(contract.attributes[name], name).toBeDefined();
      expect(update.fields?.[name]?.direction, name).toBeUndefined();
    }
  });

  it("maps read-only attributes unmapped and hides organization and user", () => {
    for (const [name, attr] of Object.entries(contract.attributes)) {
      if (attr.readOnly) expect(entity.fields[name]?.form_options?.mapped, name).toBe(false);
    }
    expect(entity.fields.organization?.exclude).toBe(true);
    expect(entity.fields.user?.exclude).toBe(true);
    const unknown = Object.keys(entity.fields).filter((name) => !(name in contract.attributes) && !entity.fields[name]?.exclude);
    expect(unknown).toEqual([]);
  });

  it("enforces the contract's limits, required attributes and enums as form constraints", () => {
    for (const [name, attr] of Object.entries(contract.attributes)) {
      const field = entity.fields[name];
      expect(constraintOf(field, "Length"), name).toEqual(attr.maxLength === undefined ? undefined : { max: attr.maxLength });
      expect(constraintOf(field, "NotBlank") !== undefined, name).toBe(attr.required === true);
      const choice = constraintOf(field, "Choice") as { choices: string[] } | undefined;
      expect(choice?.choices, name).toEqual(attr.enum);
    }
  });

  it("offers exactly the contract's filters with its types, lists and ranges", () => {
    expect(entity.filters.exclusion_policy).toBe("all");
    expect(Object.keys(entity.filters.fields).sort()).toEqual(Object.keys(contract.filters).sort());
    for (const [name, spec] of Object.entries(contract.filters)) {
      const filter = entity.filters.fields[name];
      expect(filter?.data_type, name).toBe(spec.type);
      expect(filter?.allow_array === true, name).toBe(spec.array === true);
      expect(filter?.allow_range === true, name).toBe(spec.range === true);
    }
  });

  it("offers exactly the contract's sorters", () => {
    expect(entity.sorters.exclusion_policy).toBe("all");
    expect(Object.keys(entity.sorters.fields).sort()).toEqual([...contract.sorters].sort());
  });
});

describe("oro-bundle: acls.yml follows docs/alert-contract.md", () => {
  const acls = (yamlAt("Resources/config/oro/acls.yml") as { acls: Record<string, { type: string; label: string }> }).acls;
  const translations = yamlAt("Resources/translations/messages.en.yml") as Record<string, unknown>;

  it("declares one capability per ACL resource of the contract, with a translated label", () => {
    const resources = Object.values(contract.actions)
      .map((a) => a.aclResource)
      .filter((r): r is string => r !== undefined);
    expect(Object.keys(acls).sort()).toEqual([...resources, ...INTEGRATION_CAPABILITIES].sort());
    for (const [id, acl] of Object.entries(acls)) {
      expect(acl.type, id).toBe("action");
      const label = acl.label.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], translations);
      expect(label, id).toBeTypeOf("string");
    }
  });
});

describe("docs/alert-contract.md is consistent with itself", () => {
  it("lists the same attributes, limits and required flags in the table as in the block", () => {
    const [rows = []] = tablesUnder(markdown, "3. Attributes");
    const byName = new Map(rows.map((cells) => [cells[0]?.replace(/`/g, "") ?? "", cells]));
    expect([...byName.keys()].sort()).toEqual(Object.keys(contract.attributes).sort());
    for (const [name, attr] of Object.entries(contract.attributes)) {
      const cells = byName.get(name) ?? [];
      if (attr.maxLength !== undefined) expect(cells[2], name).toContain(`<= ${attr.maxLength} chars`);
      expect(cells[3]?.includes("**required**"), name).toBe(attr.required === true);
      expect(cells[4] === "**writable**", name).toBe(contract.actions.update?.writable?.includes(name) === true);
    }
  });

  it("lists the same additionalInfo keys in the table as in the block", () => {
    const [, rows = []] = tablesUnder(markdown, "3. Attributes");
    expect(rows.map((cells) => cells[0]?.replace(/`/g, ""))).toEqual(contract.additionalInfo);
  });

  it("states the dedup key and the ACL resources in the prose", () => {
    expect(markdown).toContain(contract.dedupKey.map((k) => `\`${k}\``).join(" + "));
    for (const action of Object.values(contract.actions)) {
      if (action.aclResource) expect(markdown).toContain(`\`${action.aclResource}\``);
    }
  });
});
