import { Validations } from "aws-cdk-lib";
import type { CfnResource } from "aws-cdk-lib";
import { AwsSolutionsChecks, NagMessageLevel, NagPack, rules } from "cdk-nag";
import type { NagPackProps } from "cdk-nag";
import type { IConstruct } from "constructs";

/**
 * cdk-nag 3 wiring (docs/reference/toolchain.md §4): the AwsSolutions pack plus a small project pack of
 * serverless rules AwsSolutions leaves out, registered through the v3 Validations API. A finding
 * that is not acknowledged fails synth.
 */

/** Rule id prefix of {@link OroConnectorsChecks}. */
export const PROJECT_PACK = "OroConnectors";

/**
 * Serverless-pack rules this project holds itself to, most of all the SQS visibility timeout
 * >= 6x function timeout, which cdk-nag ships in no pack (docs/reference/aws.md §4.3).
 */
export class OroConnectorsChecks extends NagPack {
  public readonly name = PROJECT_PACK;

  public constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = PROJECT_PACK;
  }

  protected checkResource(node: CfnResource): void {
    const rule = (info: string, explanation: string, check: (node: CfnResource) => ReturnType<typeof rules.lambda.LambdaDefaultTimeout>) =>
      this.applyRule({ info, explanation, level: NagMessageLevel.ERROR, rule: check, node });
    rule(
      "The SQS queue's visibility timeout is below 6x the timeout of the Lambda function it feeds.",
      "AWS recommends a visibility timeout of at least six times the function timeout so a batch retried after throttling is not delivered twice.",
      rules.lambda.LambdaEventSourceSQSVisibilityTimeout,
    );
    rule(
      "The Lambda function URL has no IAM auth.",
      "A function URL with auth NONE is public; the function must authenticate callers itself.",
      rules.lambda.LambdaFunctionUrlAuth,
    );
    rule(
      "The log group has no retention.",
      "Logs kept forever cost money and hold data longer than needed.",
      rules.cloudwatch.CloudWatchLogGroupRetentionPeriod,
    );
    rule("The Lambda function has no explicit memory size.", "The 128 MB default gives little CPU.", rules.lambda.LambdaDefaultMemorySize);
    rule("The Lambda function has no explicit timeout.", "The 3 s default is rarely right.", rules.lambda.LambdaDefaultTimeout);
  }
}

/** Registers the AwsSolutions pack and the project pack on an app (or stage). */
export const addNagChecks = (app: IConstruct, props: NagPackProps = { verbose: true }): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, props), new OroConnectorsChecks(app, props));
};

/** Acknowledges a finding on a construct and its children; the reason must say why it is fine here. */
export const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id, reason });
};

/** Acknowledgement ids and reasons used in more than one place. */
export const Acks = {
  xray: {
    id: "AwsSolutions-IAM5[Resource::*]",
    reason: "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; AWS requires Resource '*'. It is the only '*' in the policy.",
  },
} as const;
