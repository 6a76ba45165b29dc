import { execFile } from "node:child_process";
import path from "node:path";
import type { SandboxSyncProcessor, SyncJobInput } from "../../sandboxes/oro";

const SCRIPT = path.resolve(import.meta.dirname, "..", "..", "oro-bundle", "Tests", "bin", "schedule-sync.php");

/** One run of the bundle's sync processor: its result and log lines. */
export interface BundleSyncRun {
  input: SyncJobInput;
  ok: boolean;
  log: [string, string, Record<string, unknown>][];
}

/**
 * The Oro sandbox's sync processor for `oro_serverless` channels: the bundle's real PHP
 * (oro-bundle/Integration/ScheduleSync/ServerlessSyncProcessor.php through Tests/bin/schedule-sync.php),
 * signing with `secret` and POSTing with PHP's HTTP stream wrapper. Needs `php` (scripts/ensure-php.sh).
 */
export const bundleSyncProcessor =
  (secret: string, runs: BundleSyncRun[] = []): SandboxSyncProcessor =>
  (input) =>
    new Promise((resolve, reject) => {
      const child = execFile("php", [SCRIPT], { env: { ...process.env, ORO_SERVERLESS_SIGNING_SECRET: secret }, timeout: 30_000 }, (error, stdout, stderr) => {
        if (error) return reject(new Error(`schedule-sync.php failed: ${error.message}\n${stderr}`));
        const result = JSON.parse(stdout) as { ok: boolean; log: BundleSyncRun["log"] };
        runs.push({ input, ...result });
        resolve(result.ok);
      });
      child.stdin?.end(JSON.stringify(input));
    });
