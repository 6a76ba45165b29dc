import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "./config/registry";

/**
 * The `context` of cdk.json: the feature flags aws-cdk-lib recommends for new projects
 * (docs/reference/aws-deploy.md section 2). The `cdk` CLI hands them to the app itself; a test
 * that builds an `App` by hand passes them in through this, so it synthesizes what `cdk synth`
 * does.
 */
export const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8")) as { context?: Record<string, unknown> };
  return { ...cdkJson.context };
};

/**
 * The flags the installed aws-cdk-lib recommends for a new project (what `cdk init` writes into
 * cdk.json): its `recommended-feature-flags.json`.
 */
export const recommendedFeatureFlags = (): Record<string, unknown> => {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("aws-cdk-lib/package.json"));
  return JSON.parse(readFileSync(join(root, "recommended-feature-flags.json"), "utf8")) as Record<string, unknown>;
};
