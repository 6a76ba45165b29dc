/**
 * Every function bundle as it is deployed (the CDK stack's esbuild options from
 * infra/constructs/function-defaults.ts: ESM, minified, Node 24 target, the createRequire banner,
 * the AWS SDK external unless the stack bundles it) plus the naive comparison bundle
 * (bench/fixtures/naive-handler.ts, SDK bundled). Shared by bench:coldstart and bench:cost.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { BUNDLING } from "../../infra/constructs/function-defaults";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface Bundle {
  file: string;
  bytes: number;
  gzip: number;
}

/** Suffix of a function bundle built the other way round: SDK bundled when the stack keeps it external, and vice versa. */
export const OTHER_SDK_SUFFIX = BUNDLING.bundleAwsSDK ? " (SDK external)" : " (SDK bundled)";

export const buildBundles = async (options: { sourceMaps: boolean; outDir?: string; otherSdkWay?: boolean }): Promise<Record<string, Bundle>> => {
  const out = options.outDir ?? join(ROOT, ".bench-out", "coldstart");
  const entries: Record<string, string> = {};
  for (const name of readdirSync(join(ROOT, "functions"))) {
    const entry = join(ROOT, "functions", name, "handler.ts");
    if (existsSync(entry)) entries[name] = entry;
  }
  entries["naive"] = join(ROOT, "bench", "fixtures", "naive-handler.ts");
  mkdirSync(out, { recursive: true });
  const bundles: Record<string, Bundle> = {};
  const builds = Object.entries(entries).flatMap(([name, entry]) => [
    { name, entry, bundleSdk: name === "naive" || Boolean(BUNDLING.bundleAwsSDK) },
    ...(options.otherSdkWay && name !== "naive" ? [{ name: `${name}${OTHER_SDK_SUFFIX}`, entry, bundleSdk: !BUNDLING.bundleAwsSDK }] : []),
  ]);
  for (const { name, entry, bundleSdk } of builds) {
    const file = join(out, `${name.replace(/[^a-z0-9-]+/gi, "_")}.mjs`);
    await build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      platform: "node",
      format: "esm",
      target: BUNDLING.target ?? "node24",
      minify: BUNDLING.minify ?? true,
      mainFields: BUNDLING.mainFields ?? ["module", "main"],
      banner: { js: BUNDLING.banner ?? "" },
      ...(options.sourceMaps && name !== "naive" ? { sourcemap: "linked" as const, sourcesContent: false } : {}),
      // As deployed: the AWS SDK stays external (loaded from the Lambda runtime, here from
      // node_modules, unbundled as there) unless the stack bundles it; the other way for comparison.
      external: bundleSdk ? [...(BUNDLING.externalModules ?? [])] : ["@aws-sdk/*", ...(BUNDLING.externalModules ?? [])],
      logLevel: "error",
    });
    const content = readFileSync(file);
    bundles[name] = { file, bytes: content.length, gzip: gzipSync(content).length };
  }
  return bundles;
};
