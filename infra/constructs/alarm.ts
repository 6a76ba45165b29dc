import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";

/** Props of {@link alarmAbove}. */
export interface AlarmAboveProps {
  readonly metric: cloudwatch.IMetric;
  /** Alarm when the metric goes above this (one evaluation period; missing data is fine). */
  readonly threshold: number;
  readonly description: string;
  /** Notified when the alarm fires and when it clears. */
  readonly topic: sns.ITopic;
}

/** The project's one kind of alarm: above a threshold for one period, to the alarm topic both ways. */
export const alarmAbove = (scope: Construct, id: string, props: AlarmAboveProps): cloudwatch.Alarm => {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  alarm.addAlarmAction(new actions.SnsAction(props.topic));
  alarm.addOkAction(new actions.SnsAction(props.topic));
  return alarm;
};
