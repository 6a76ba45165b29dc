import { join } from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import type { NodejsFunctionProps } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { REPO_ROOT } from "../config/registry";
import type { VpcPlacement } from "../config/schema";
import { acknowledge } from "../nag";

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
 * `import()` on first use (shared/aws/clients.ts), so the init phase never touches it and a clean
 * invocation never loads the SQS client at all. The runtime's SDK is a current v3, and Lambda
 * resolves it from ES modules on Node 18+. Bundled instead, the SDK is still evaluated lazily, but
 * its parse moves into the import, the bundle doubles, and its ES-module `import "node:http"`
 * makes Node build the ESM facade of `node:http`, which loads Node's internal undici (~15 ms).
 * bench:coldstart builds every function both ways: the first record's CPU time is the same within
 * noise (bench/reports/latest.md; docs/architecture.md "The AWS SDK stays external").
 *
 * Source maps: linked `.map` files without embedded sources are built and shipped in the asset,
 * but NOT enabled at runtime (no `NODE_OPTIONS=--enable-source-maps`, see FUNCTION_NODE_OPTIONS).
 * Measured with `npm run bench:coldstart` run both ways on 2026-12-01 (25 interleaved runs each,
 * medians; the naive bundle, never source-mapped, is the yardstick across the two runs):
 * import + init of the connector bundles went from 25.7-30.4 ms (0.24-0.28 of naive) without to
 * 35.6-41.1 ms (0.30-0.35 of naive) with source maps, i.e. +20-47 % on every cold start (Node
 * parses the whole map when the module loads), and the first `Error.stack` from 0.03 to 0.14 ms.
 * What it buys is readable frames for unexpected errors only (typed errors are logged without a
 * stack, shared/observability/logger.ts), so the cold start cost is not worth paying always.
 * The map stays in the asset so an operator can map a logged `index.mjs:1:<column>` frame
 * offline, or set NODE_OPTIONS=--enable-source-maps on one function during an incident without a
 * redeploy.
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

/** NODE_OPTIONS of every function: none; source maps stay off at runtime (the note above BUNDLING). */
export const FUNCTION_NODE_OPTIONS = "";

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
  /** `Allow` only for a function that chains through its own queue (Connector.recursiveLoop says why). @default Lambda's Terminate */
  readonly recursiveLoop?: "Allow" | "Terminate";
  /** Subnets and security groups to run in (an integration's `vpc`). @default not in a VPC */
  readonly vpc?: VpcPlacement;
}

/**
 * What Lambda needs on the execution role to manage a VPC function's network interfaces: the
 * actions of AWSLambdaVPCAccessExecutionRole without its logs part (docs/reference/aws-deploy.md
 * section 4). DescribeNetworkInterfaces only works on Resource "*"; the others stay on "*" as in
 * AWS's own managed policy: Lambda creates the interfaces, so their ids are unknown at deploy.
 */
export const VPC_NETWORK_INTERFACE_ACTIONS = [
  "ec2:AssignPrivateIpAddresses",
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:UnassignPrivateIpAddresses",
] as const;

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
      // X-Ray active: Lambda's own segments (init, invocation) at no code cost; its grant needs
      // Resource "*" (acknowledged on the role), as do a VPC function's network-interface actions.
      tracing: lambda.Tracing.ACTIVE,
      environment: FUNCTION_NODE_OPTIONS ? { NODE_OPTIONS: FUNCTION_NODE_OPTIONS, ...props.environment } : { ...props.environment },
      ...(props.recursiveLoop === "Allow" ? { recursiveLoop: lambda.RecursiveLoop.ALLOW } : {}),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      bundling: BUNDLING,
    });
    if (props.vpc) this.placeInVpc(props.vpc);
  }

  /**
   * VpcConfig by id on the L1 function: the L2 `vpc` prop needs an IVpc, which by id alone means
   * a lookup (credentials at synth) or a VPC id and AZ list the team would have to repeat.
   */
  private placeInVpc(vpc: VpcPlacement): void {
    (this.function.node.defaultChild as lambda.CfnFunction).vpcConfig = { subnetIds: [...vpc.subnetIds], securityGroupIds: [...vpc.securityGroupIds] };
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: "ManageVpcNetworkInterfaces", actions: [...VPC_NETWORK_INTERFACE_ACTIONS], resources: ["*"] }),
    );
    acknowledge(
      this.role,
      "AwsSolutions-IAM5[Resource::*]",
      "X-Ray's PutTraceSegments/PutTelemetryRecords and, in a VPC, Lambda's network-interface actions (as in AWSLambdaVPCAccessExecutionRole; DescribeNetworkInterfaces works only on '*') support no narrower resource.",
    );
  }
}
