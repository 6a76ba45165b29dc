export {
  deploymentPlan,
  renderEnvironment,
  scheduledEnvelope,
  SCHEDULED_TIME,
  NOTIFIER_SERVICE_NAME,
  INGRESS_SERVICE_NAME,
  INGRESS_TIMEOUT_SECONDS,
  INGRESS_MEMORY_MB,
  NOTIFIER_MEMORY_MB,
  DEFAULT_INGRESS_RESERVED_CONCURRENCY,
  stateTableName,
} from "./plan";
export type { ConnectorPlan, DeploymentPlan, EventSourcePlan, FunctionPlan, IngressPlan, NotifierPlan, PlanEntries, PlanEnvironment, PlanEnvValue, SchedulePlan, StateTablePlan } from "./plan";
