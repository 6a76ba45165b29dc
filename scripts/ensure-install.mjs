// Runs on whatever Node the machine has (20+). Installs the project (which brings Node 24 for every
// npm script) when node_modules is missing or older than the lockfile, so `npm start` and `npm test`
// work from a fresh clone with no other step.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale =
  !existsSync("node_modules/.bin/node") ||
  !existsSync(marker) ||
  (existsSync("package-lock.json") && statSync("package-lock.json").mtimeMs > statSync(marker).mtimeMs + 1000);

if (stale) {
  const command = existsSync("package-lock.json") ? "npm ci --no-audit --no-fund" : "npm install --no-audit --no-fund";
  console.error(`[setup] installing dependencies (${command}); this brings Node 24 for the npm scripts`);
  execSync(command, { stdio: "inherit" });
}
