import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

/** Props of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Subscribed by e-mail (the address must confirm). @default no subscription */
  readonly email?: string;
}

/**
 * The one SNS topic every alarm notifies: encrypted, TLS-only publishing. The key is a
 * customer-managed one (with rotation) because CloudWatch alarms cannot publish to a topic
 * encrypted with the AWS-managed `alias/aws/sns` key: its key policy cannot grant CloudWatch.
 */
export class AlarmTopic extends Construct {
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;

  public constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.key = new kms.Key(this, "Key", {
      description: "Encrypts the alarm topic of the Oro connectors",
      enableKeyRotation: true,
      // It protects only notifications in flight: nothing outlives the stack that needs it.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowCloudWatchAlarms",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"], // in a key policy "*" means this key
        conditions: { StringEquals: { "aws:SourceAccount": account } },
      }),
    );
    this.topic = new sns.Topic(this, "Topic", { displayName: "Oro connectors alarms", masterKey: this.key, enforceSSL: true });
    // The enforceSSL topic policy replaces SNS's default one, so CloudWatch needs an explicit allow.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowCloudWatchAlarms",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { "aws:SourceAccount": account } },
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
