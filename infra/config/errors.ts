/** One problem of a deploy config, at a field path such as `integrations[0].connectors.akeneo-products.batchSize`. */
export interface DeployConfigIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A deploy config that cannot be deployed. Carries every problem found, not just the first
 * (docs/reference/design.md §4.3: report all problems in one error), each naming its field path.
 */
export class DeployConfigError extends Error {
  public override readonly name = "DeployConfigError";
  public readonly issues: readonly DeployConfigIssue[];

  public constructor(source: string, issues: readonly DeployConfigIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(`Invalid deploy config (${source}), ${count}:\n${issues.map((i) => `  - ${i.path || "(root)"}: ${i.message}`).join("\n")}`);
    this.issues = issues;
  }
}

/** `["integrations", 0, "connectors", "a-b", "x"]` -> `integrations[0].connectors.a-b.x`; odd keys are quoted. */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      const key = String(segment);
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) return index === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join("");
