import type { SQSClient } from "@aws-sdk/client-sqs";
import type { receiveWebhook } from "../../functions/webhook-ingress";
import { ReloadGate } from "../../functions/webhook-ingress/reload-gate";
import type { SyncRoute } from "../../functions/webhook-ingress/schedule-sync";
import { createMetrics, InvocationMetrics } from "../../shared/observability";

export interface RecordedLine {
  level: string;
  message: string;
  extra: Record<string, unknown>;
}

/**
 * receiveWebhook's dependencies for a unit test of that one function: the SQS client is a stand-in
 * recording each SendMessage input, the logger records each line, the clock is fixed, and the
 * secret reload gate never holds back.
 */
export const recordingIngress = (options: {
  secret: string;
  nowSeconds: number;
  serviceName: string;
  routes?: Record<string, string>;
  syncRoutes?: Record<string, SyncRoute>;
}) => {
  const lines: RecordedLine[] = [];
  const log =
    (level: string) =>
    (message: string, extra: Record<string, unknown> = {}) =>
      void lines.push({ level, message, extra });
  const sent: Array<Record<string, unknown>> = [];
  const sqs = { send: async (command: { input: Record<string, unknown> }) => void sent.push(command.input) } as unknown as SQSClient;
  const metrics = new InvocationMetrics(createMetrics({ serviceName: options.serviceName }));
  const deps: Parameters<typeof receiveWebhook>[1] = {
    config: {
      secretName: "s",
      maxAgeSeconds: 86_400,
      maxFutureSeconds: 300,
      secretReloadSeconds: 30,
      routes: options.routes ?? {},
      syncRoutes: options.syncRoutes ?? {},
      maxBodyBytes: 10_000,
    },
    sqs: () => sqs,
    secret: async () => ({ secret: options.secret }),
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    metrics,
    reloadGate: new ReloadGate(0),
    now: () => options.nowSeconds * 1000,
  };
  return { deps, lines, sent, metrics };
};
