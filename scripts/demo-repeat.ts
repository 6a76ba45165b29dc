/**
 * `npm run demo:repeat [-- --runs N]`: runs `npm start -- --demo` N times in a row (default 20),
 * each in a fresh process on ephemeral ports, and exits 0 only if every run passed. It is the
 * check that the demo has no timing race left (issue 12 §3); a failing run's output is printed.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../infra/config";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`--runs must be an integer from 1 to 100, got ${values.runs}`);

let passed = 0;
const started = Date.now();
for (let run = 1; run <= runs; run++) {
  const t0 = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "local-stack", "main.ts"), "--demo", "--ephemeral-ports"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    // Bounded: a run that hangs counts as failed.
    timeout: 180_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  const ok = result.status === 0 && /demo: all \d+ checks passed/.test(output);
  if (ok) passed++;
  const summary = /demo: (all \d+ checks passed|\d+ of \d+ checks failed)/.exec(output)?.[0] ?? `exit ${String(result.status ?? result.signal)}`;
  console.log(`run ${String(run).padStart(2)}/${runs}: ${ok ? "pass" : "FAIL"}  ${summary}  (${Date.now() - t0} ms)`);
  if (!ok) console.log(output);
}
console.log(`demo:repeat: ${passed} of ${runs} runs passed in ${Math.round((Date.now() - started) / 1000)} s`);
process.exitCode = passed === runs ? 0 : 1;
