import { RemovalPolicy } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { StateAttribute } from "../../shared/state/state-table";

/** Item-level DynamoDB actions a state table user may be granted. */
export type StateTableAction = "GetItem" | "PutItem" | "UpdateItem" | "DeleteItem" | "Query";

/**
 * The stack's state table (shared/state): on-demand, point-in-time recovery on, TTL on
 * `expiresAt`, kept on stack deletion. Generic by design: items are keyed `pk` = `<kind>#<id>`,
 * `sk`; the webhook ingress uses `webhook#<messageId>`, the notifier `alert#<key hash>`, and grants are scoped by that prefix
 * (`dynamodb:LeadingKeys`), so a later user (a run ledger) gets its own prefix and grant.
 */
export class StateTable extends Construct {
  public readonly table: dynamodb.Table;

  public constructor(scope: Construct, id: string, props: { tableName: string }) {
    super(scope, id);
    this.table = new dynamodb.Table(this, "Table", {
      // Named, so `ops runs` and `ops status` find the run ledger by the plan's name.
      tableName: props.tableName,
      partitionKey: { name: StateAttribute.pk, type: dynamodb.AttributeType.STRING },
      sortKey: { name: StateAttribute.sk, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: StateAttribute.expiresAt,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets `grantee` use items whose `pk` starts with `<kind>#`, and nothing else: no scans, no
   * other prefix. `actions` default to claim, complete and release (Get/Put/DeleteItem); the run
   * ledger asks for Put/UpdateItem and Query (a Query is scoped by its partition key too); the
   * notifier's alert-key leases (shared/state/lease.ts) need UpdateItem only.
   */
  public grantKind(grantee: iam.IGrantable, kind: string, actions: readonly StateTableAction[] = ["GetItem", "PutItem", "DeleteItem"]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: `StateTable${kind.replace(/[^A-Za-z0-9]/g, "")}Items`,
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [this.table.tableArn],
        conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${kind}#*`] } },
      }),
    );
  }
}
