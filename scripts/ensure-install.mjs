// Runs on whatever Node the machine has (20+). Installs the project (which brings Node 24 for every
// npm script) when node_modules is missing or older than the lockfile, so `npm start` and `npm test`
// work from a fresh clone with no other step.
//
// `node scripts/ensure-install.mjs -- node <args>` then runs `<args>` on the installed Node 24.
// It has to be this process that starts it: in a script line `a && node b`, the shell has already
// resolved (and hashed) `node` to the machine's Node 20 when it ran `a`, so the second `node` of a
// first run would still be Node 20 (which has no `node:sqlite`; fauxqs needs it).
import { execSync, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// import.meta.dirname needs Node 20.11; this runs on any Node 20.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "node_modules", ".bin");
const installedNode = join(bin, process.platform === "win32" ? "node.exe" : "node");
const marker = join(root, "node_modules", ".package-lock.json");
const lockfile = join(root, "package-lock.json");
const stale = !existsSync(installedNode) || !existsSync(marker) || (existsSync(lockfile) && statSync(lockfile).mtimeMs > statSync(marker).mtimeMs + 1000);

if (stale) {
  const command = existsSync(lockfile) ? "npm ci --no-audit --no-fund" : "npm install --no-audit --no-fund";
  console.error(`[setup] installing dependencies (${command}); this brings Node 24 for the npm scripts`);
  execSync(command, { stdio: "inherit", cwd: root });
  if (!existsSync(installedNode)) {
    // The Node 24 packages are optionalDependencies limited by os/cpu (package.json): none fits here.
    console.error(
      `[setup] no Node 24 package fits ${process.platform}-${process.arch}: package.json's optionalDependencies cover darwin-arm64, darwin-x64, linux-arm64 and linux-x64`,
    );
    process.exit(1);
  }
}

const separator = process.argv.indexOf("--");
const command = separator === -1 ? [] : process.argv.slice(separator + 1);
if (command.length > 0) {
  const [program, ...args] = command;
  // `node` is the installed Node 24 by absolute path; anything else is looked up with node_modules/.bin first, as npm does.
  const executable = program === "node" ? installedNode : program;
  const child = spawn(executable, args, { stdio: "inherit", env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` } });
  // Ctrl-C reaches the whole process group: the child decides how to stop; a SIGTERM sent to this
  // process alone (a supervisor, a test) is passed on.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("error", (error) => {
    console.error(`[setup] could not start ${executable}: ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
