import { join } from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import type { NodejsFunctionProps } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { REPO_ROOT } from "../config/registry";

/**
 * The one way this project builds a Lambda function (SC's `*-defaults.ts` habit): Node 24 on
 * arm64, ESM bundled by the local esbuild (no Docker), a role of its own with no managed policy,
 * a log group of its own with retention, X-Ray active.
 */

/** Lets CJS dependencies `require()` inside an ESM bundle (docs/reference/toolchain.md §5). */
export const ESM_REQUIRE_BANNER = "import{createRequire}from'module';const require=createRequire(import.meta.url);";

/**
 * Bundling every function shares.
 *
 * The AWS SDK is not bundled (`bundleAwsSDK: false`, the NodejsFunction default on Node 18+): the
 * runtime's copy of @aws-sdk/client-sqs and client-secrets-manager is loaded with a dynamic
 * `import()` on first use (shared/aws/clients.ts). A bundled SDK is evaluated at init even behind
 * `import()` (its top-level `node:http`/`https`/`zlib` imports are hoisted), which cost about
 * 60 ms of init in bench:coldstart; unbundled, the init phase never touches it, and a clean
 * invocation never loads the SQS client at all. The runtime's SDK is a current v3, and Lambda
 * resolves it from ES modules on Node 18+.
 *
 * Source maps: linked `.map` files without embedded sources (small), read by
 * `NODE_OPTIONS=--enable-source-maps` so stack traces name TypeScript files and lines.
 */
export const BUNDLING: NonNullable<NodejsFunctionProps["bundling"]> = {
  format: OutputFormat.ESM,
  target: "node24",
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  bundleAwsSDK: false,
  forceDockerBundling: false,
};

/** Props of {@link ProjectFunction}. */
export interface ProjectFunctionProps {
  /** Absolute path of the TypeScript entry exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** CloudWatch Logs retention of the function's own log group. */
  readonly logRetentionDays: number;
}

/**
 * A NodejsFunction with its own role (lambda.amazonaws.com, no managed policy: logs go only to
 * its own log group) and its own log group. Grants come from the construct that owns it.
 */
export class ProjectFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  public constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);
    // Logs are kept after teardown (RemovalPolicy.RETAIN is the LogGroup default): they are the
    // record of what the connector did.
    this.logGroup = new logs.LogGroup(this, "LogGroup", { retention: props.logRetentionDays as logs.RetentionDays, removalPolicy: RemovalPolicy.RETAIN });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, "Function", {
      entry: props.entry,
      handler: "handler",
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.seconds(props.timeoutSeconds),
      memorySize: props.memoryMb,
      role: this.role,
      logGroup: this.logGroup,
      // X-Ray active: Lambda's own segments (init, invocation) at no code cost; it is the one
      // grant that needs Resource "*" (acknowledged on the role).
      tracing: lambda.Tracing.ACTIVE,
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      bundling: BUNDLING,
    });
  }
}
