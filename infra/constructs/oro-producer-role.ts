import * as iam from "aws-cdk-lib/aws-iam";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Props of {@link OroProducerRole}. */
export interface OroProducerRoleProps {
  /** The principal (Oro's application role or account) allowed to assume the role. */
  readonly principalArn: string;
  /** The queues that accept Oro messages (connectors with Oro topics). */
  readonly queues: readonly sqs.IQueue[];
}

/**
 * A role an Oro-side producer (older Oro without webhooks, or a custom bundle) assumes to send
 * messages straight to the queues of connectors that consume Oro topics, and nowhere else.
 */
export class OroProducerRole extends Construct {
  public readonly role: iam.Role;

  public constructor(scope: Construct, id: string, props: OroProducerRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ArnPrincipal(props.principalArn),
      description: "Assumed by Oro-side producers to send messages to the connector queues that accept Oro topics",
    });
    for (const queue of props.queues) queue.grantSendMessages(this.role);
  }
}
