import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { NotifierMetric } from "../../functions/notifier/process-batch";
import { RuntimeMetric } from "../../shared/runtime/process-batch";

/** One SQS-fed function the dashboard shows. */
export interface DashboardConsumer {
  /** Row title, e.g. `erp-main/erp-stock`. */
  readonly title: string;
  /** EMF dimensions its metrics carry (connectorMetricDimensions for a connector). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly function: IFunction;
}

/** Props of {@link OperationsDashboard}. */
export interface OperationsDashboardProps {
  readonly dashboardName: string;
  /** EMF namespace of the runtime's metrics (POWERTOOLS_METRICS_NAMESPACE). */
  readonly namespace: string;
  readonly connectors: readonly DashboardConsumer[];
  readonly notifier: DashboardConsumer;
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard for the whole stack. Per connector a row: records ok / failed (to be
 * retried) / retried and then ok / dead-lettered by the runtime (permanent failures and failed
 * items), the DLQ depth with the source queue's oldest-message age, and the function's duration
 * and errors. Last row: the notifier's alerts created / resolved, with the same queue and
 * function widgets. The record counts are the runtime's EMF metrics, read under exactly the
 * dimensions the runtime writes them with (a CloudWatch metric is only found under its full
 * dimension set); a test checks them against the handler's real EMF output.
 */
export class OperationsDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const emf = (consumer: DashboardConsumer, metricName: string, label: string) =>
      new cloudwatch.Metric({
        namespace: props.namespace,
        metricName,
        dimensionsMap: { ...consumer.dimensions },
        statistic: cloudwatch.Stats.SUM,
        period: PERIOD,
        label,
      });

    const queueWidget = (c: DashboardConsumer) =>
      new cloudwatch.GraphWidget({
        title: `${c.title}: DLQ depth and oldest message age`,
        width: WIDTH,
        height: HEIGHT,
        left: [c.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: "DLQ messages" })],
        right: [c.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: "oldest message age (s)" })],
        leftYAxis: { min: 0, label: "messages", showUnits: false },
        rightYAxis: { min: 0, label: "seconds", showUnits: false },
      });
    const functionWidget = (c: DashboardConsumer) =>
      new cloudwatch.GraphWidget({
        title: `${c.title}: duration and errors`,
        width: WIDTH,
        height: HEIGHT,
        left: [
          c.function.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.AVERAGE, label: "duration avg (ms)" }),
          c.function.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.percentile(99), label: "duration p99 (ms)" }),
        ],
        right: [c.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: "errors" })],
        leftYAxis: { min: 0, label: "ms", showUnits: false },
        rightYAxis: { min: 0, label: "errors", showUnits: false },
      });

    const rows: cloudwatch.IWidget[][] = props.connectors.map((c) => [
      new cloudwatch.GraphWidget({
        title: `${c.title}: records`,
        width: WIDTH,
        height: HEIGHT,
        stacked: false,
        left: [
          emf(c, RuntimeMetric.ok, "ok"),
          emf(c, RuntimeMetric.failed, "failed (retried later)"),
          emf(c, RuntimeMetric.retried, "ok after a retry"),
          emf(c, RuntimeMetric.permanent, "dead-lettered (permanent)"),
          emf(c, RuntimeMetric.itemsFailed, "items dead-lettered"),
        ],
        leftYAxis: { min: 0, label: "records", showUnits: false },
      }),
      queueWidget(c),
      functionWidget(c),
    ]);
    const n = props.notifier;
    rows.push([
      new cloudwatch.GraphWidget({
        title: `${n.title}: alerts`,
        width: WIDTH,
        height: HEIGHT,
        left: [emf(n, NotifierMetric.created, "alerts created"), emf(n, NotifierMetric.resolved, "alerts resolved")],
        leftYAxis: { min: 0, label: "alerts", showUnits: false },
      }),
      queueWidget(n),
      functionWidget(n),
    ]);

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(24),
      widgets: rows,
    });
  }
}
