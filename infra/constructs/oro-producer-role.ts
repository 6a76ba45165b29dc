import * as iam from "aws-cdk-lib/aws-iam";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Props of {@link OroProducerRole}. */
export interface OroProducerRoleProps {
  /** The IAM role (Oro's application role) allowed to assume the role: a role ARN, never an account. */
  readonly principalArn: string;
  /** The `sts:ExternalId` the producer must pass (confused-deputy protection). */
  readonly externalId: string;
  /** The queues that accept Oro messages (connectors with Oro topics). */
  readonly queues: readonly sqs.IQueue[];
}

/** An IAM role ARN (`arn:aws:iam::<account>:role/<path/name>`), the only principal accepted. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;

/**
 * A role an Oro-side producer (older Oro without webhooks, or a custom bundle) assumes to send
 * messages straight to the queues of connectors that consume Oro topics, and nowhere else. Only
 * the named role may assume it, and only with the agreed `sts:ExternalId` (docs/reference/security.md §8).
 */
export class OroProducerRole extends Construct {
  public readonly role: iam.Role;

  public constructor(scope: Construct, id: string, props: OroProducerRoleProps) {
    super(scope, id);
    if (!ROLE_ARN.test(props.principalArn))
      throw new Error(`OroProducerRole: principalArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${props.principalArn}"`);
    if (props.externalId.length < 2) throw new Error("OroProducerRole: externalId must be 2-1224 characters");
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ArnPrincipal(props.principalArn),
      externalIds: [props.externalId],
      description: "Assumed by Oro-side producers to send messages to the connector queues that accept Oro topics",
    });
    for (const queue of props.queues) queue.grantSendMessages(this.role);
  }
}
