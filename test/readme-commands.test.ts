import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../infra/config";

/**
 * The README's two commands, the first time, on a fresh clone with only the machine's Node
 * (20+) and npm: the clone is the repository's files (tracked and new, never node_modules), PATH
 * has no node_modules/.bin, and the environment has none of npm's or vitest's variables. npm's
 * cache keeps the two `npm ci` runs short; each command is bounded in time.
 */
const clones: string[] = [];
afterAll(() => {
  for (const dir of clones) rmSync(dir, { recursive: true, force: true });
}, 600_000); // two clones with node_modules: minutes to remove on a loaded 2-core machine

const freshClone = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "fresh-clone-"));
  clones.push(dir);
  const files = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" });
  expect(files.status, files.stderr).toBe(0);
  for (const file of files.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(REPO_ROOT, file))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(dir, file));
  }
  return dir;
};

/** PATH as a shell on the machine has it: no project's node_modules/.bin. */
const machinePath = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((entry) => entry && !entry.includes("node_modules"))
  .join(delimiter);
const machineEnv = (): NodeJS.ProcessEnv => ({
  PATH: machinePath,
  HOME: process.env.HOME,
  TMPDIR: process.env.TMPDIR,
  LANG: process.env.LANG,
  NO_COLOR: "1",
  // Inside the clone this file is not run again (it would clone and install once more).
  FRESH_CLONE_CHECK: "1",
});
const run = (cwd: string, args: string[], timeoutMs: number) => {
  const result = spawnSync("npm", args, { cwd, env: machineEnv(), encoding: "utf8", timeout: timeoutMs });
  // eslint-disable-next-line no-control-regex -- colour codes of the tools' output
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "") };
};

describe.skipIf(process.env.FRESH_CLONE_CHECK === "1")("README commands on a fresh clone, first run", () => {
  it("finds the machine's own Node first on PATH (the situation of a first run)", () => {
    const node = spawnSync("node", ["--version"], { env: machineEnv(), encoding: "utf8" });
    expect(node.status).toBe(0);
    expect(node.stdout.trim()).toMatch(/^v\d+\./);
    // Here it is Node 20: the one that crashes on node:sqlite if a script line still runs it.
    expect(Number(/^v(\d+)/.exec(node.stdout.trim())?.[1])).toBeGreaterThanOrEqual(20);
  });

  it("npm start -- --demo: installs, then runs the demo on Node 24 and passes", () => {
    const clone = freshClone();
    expect(existsSync(join(clone, "node_modules"))).toBe(false);
    const { status, output } = run(clone, ["start", "--", "--demo", "--ephemeral-ports"], 300_000);
    expect(output).toContain("[setup] installing dependencies");
    expect(output).not.toMatch(/node:sqlite|ERR_UNKNOWN_BUILTIN_MODULE/);
    expect(output, output.slice(-3_000)).toMatch(/demo: all \d+ checks passed/);
    expect(status).toBe(0);
  }, 420_000);

  it("npm test: installs, then type checks, lints and runs vitest on Node 24 (one small suite, to stay bounded)", () => {
    const clone = freshClone();
    const { status, output } = run(clone, ["test", "--", "test/unit/runtime-pieces.test.ts"], 300_000);
    expect(output).toContain("[setup] installing dependencies");
    expect(output, output.slice(-3_000)).toMatch(/Tests\s+\d+ passed/);
    expect(status).toBe(0);
  }, 420_000);
});
