import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GeneratorError, generateConnector } from "../scripts/new-connector";

const REPO = process.cwd();
let copy: string;

/** A copy of the checkout (tracked and new files, not ignored ones) with node_modules linked. */
const copyCheckout = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "new-connector-"));
  const listed = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" });
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(REPO, file), join(dir, file));
    } catch {
      // A file deleted in the work tree but still in the index.
    }
  }
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  return dir;
};

const run = (command: string, args: string[], timeout = 150_000) => {
  const result = spawnSync(command, args, {
    cwd: copy,
    encoding: "utf8",
    timeout,
    env: { ...process.env, PATH: `${join(REPO, "node_modules", ".bin")}:${process.env.PATH ?? ""}` },
  });
  const out = `${result.stdout}\n${result.stderr}`;
  return { status: result.status, out };
};

beforeAll(() => {
  copy = copyCheckout();
});
afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
});

describe("npm run new:connector", () => {
  it("generates a connector whose own end-to-end test passes as generated, typed, linted, registered and disabled in the deploy config", () => {
    const generated = run("tsx", ["scripts/new-connector.ts", "erp-prices", "--like", "erp-stock"]);
    expect(generated.status, generated.out).toBe(0);
    expect(generated.out).toContain("functions/erp-prices/connector.ts");

    const registry = readFileSync(join(copy, "functions/registry.ts"), "utf8");
    expect(registry).toContain('import { erpPrices } from "./erp-prices/connector";');
    expect(registry).toMatch(/\[oroOrdersToErp, erpStock, akeneoProducts, erpPrices\];/);
    const config = JSON.parse(readFileSync(join(copy, "deploy.config.json"), "utf8")) as {
      integrations: Array<{ name: string; connectors: Record<string, unknown> }>;
    };
    expect(config.integrations.find((i) => i.name === "erp-main")?.connectors["erp-prices"]).toEqual({ enabled: false });

    // The deploy config still loads against the new registry, and nothing deploys the disabled connector.
    writeFileSync(
      join(copy, "check-config.ts"),
      'import { loadDeployConfig, resolveConnectorSettings } from "./infra/config";\nimport { connectors } from "./functions/registry";\nconst registry = { connectors };\nconsole.log(JSON.stringify(resolveConnectorSettings(loadDeployConfig("deploy.config.json", registry), registry).map((c) => c.connector)));\n',
    );
    const loaded = run("tsx", ["check-config.ts"]);
    expect(loaded.status, loaded.out).toBe(0);
    expect(loaded.out).toContain('["akeneo-products","oro-orders-to-erp","erp-stock"]');

    writeFileSync(
      join(copy, "tsconfig.generated.json"),
      JSON.stringify({ extends: "./tsconfig.json", include: ["functions/erp-prices", "functions/registry.ts", "test/erp-prices.test.ts", "**/*.d.ts"] }),
    );
    const typed = run("tsc", ["-p", "tsconfig.generated.json", "--noEmit"]);
    expect(typed.status, typed.out).toBe(0);
    const linted = run("eslint", ["--max-warnings", "0", "functions/erp-prices", "test/erp-prices.test.ts"]);
    expect(linted.status, linted.out).toBe(0);
    // Formatted as `npm test` checks it (npm run format:check).
    const formatted = run("prettier", ["--check", "functions/erp-prices", "functions/registry.ts", "test/erp-prices.test.ts"]);
    expect(formatted.status, formatted.out).toBe(0);

    const tested = run("vitest", ["run", "test/erp-prices.test.ts"]);
    expect(tested.status, tested.out).toBe(0);
    // test/support/summary-reporter.ts prints the counts without colours.
    expect(tested.out).toContain("vitest: 3 passed, 0 failed, 0 skipped");
  }, 240_000);

  it("refuses a name that is not kebab-case, an existing folder, and an unknown --like, writing nothing", () => {
    const before = readFileSync(join(copy, "functions/registry.ts"), "utf8");
    expect(() => generateConnector({ name: "ErpPrices", root: copy })).toThrow(GeneratorError);
    expect(() => generateConnector({ name: "erp-stock", root: copy })).toThrow("functions/erp-stock already exists");
    expect(() => generateConnector({ name: "erp-things", like: "no-such", root: copy })).toThrow("--like no-such: there is no functions/no-such/connector.ts");
    expect(readFileSync(join(copy, "functions/registry.ts"), "utf8")).toBe(before);
  });
});
