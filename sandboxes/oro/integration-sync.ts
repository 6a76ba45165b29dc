import type { IncomingMessage, ServerResponse } from "node:http";
import type { OroStore, StoredRecord } from "./model";
import { findTransportOfChannel } from "./resources/integration";

/**
 * Oro's "Schedule sync" button of System > Integrations, for the bundle's channels.
 *
 * In Oro (platform@6.1.11 IntegrationBundle): `POST /admin/integration/schedule/{id}[?force=1]`
 * (Controller/IntegrationController.php scheduleAction, route `oro_integration_schedule`, POST only)
 * answers 200 `{"successful": true, "message": "The synchronization has been scheduled. ..."}` for an
 * enabled channel (`{"successful": false, "message": "Cannot add sync job to the queue because the
 * integration is not active."}` otherwise; translations messages.en.yml) after GenuineSyncScheduler
 * queued `oro.integration.sync_integration` with connector null and `{force}`. A consumer then runs
 * Async/SyncIntegrationProcessor, which rejects a missing or disabled channel and calls the sync
 * processor registered for the channel's type (Provider/SyncProcessorRegistry.php) with
 * `process($integration, $connector = null, ['force' => ...])`; the job succeeds when it returns true.
 *
 * Here the message queue is one job per request, run after the answer, and the sync processor is
 * the one the sandbox is given: the bundle's real ServerlessSyncProcessor through PHP in the
 * end-to-end test (test/helpers/bundle-sync-processor.ts). Jobs are listed in `GET /__admin/sync-jobs`.
 */

/** What Oro hands the sync processor: the channel and its transport. */
export interface SyncJobInput {
  channel: { id: string; name: string; type: string; connectors: string[] };
  transport: { integration: string; region: string; ingressUrl: string; connectors: string[] } | undefined;
  connector: string | null;
  force: boolean;
}

/** The channel type's sync processor; true = the job succeeded. */
export type SandboxSyncProcessor = (input: SyncJobInput) => Promise<boolean>;

export interface SyncJob {
  id: number;
  channelId: string;
  force: boolean;
  status: "new" | "running" | "success" | "failed";
  error?: string;
}

const SCHEDULE_PATH = /^\/admin\/integration\/schedule\/(\d+)$/;
const SCHEDULED_MESSAGE = 'The synchronization has been scheduled. <a href="/admin/message-queue/jobs">Check job progress</a>.';
const DEACTIVATED_MESSAGE = "Cannot add sync job to the queue because the integration is not active.";

export class IntegrationSyncJobs {
  readonly jobs: SyncJob[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: OroStore,
    private processor: SandboxSyncProcessor | undefined,
  ) {}

  /** Sets (or clears) the sync processor of the `oro_serverless` channel type. */
  setProcessor(processor: SandboxSyncProcessor | undefined): void {
    this.processor = processor;
  }

  /** Resolves when every scheduled job finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  clear(): void {
    this.jobs.length = 0;
  }

  /** Handles the schedule route; false when the request is not for it. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const match = SCHEDULE_PATH.exec(url.pathname);
    if (!match) return false;
    if (req.method !== "POST") {
      res.writeHead(405, { Allow: "POST", "Content-Type": "text/plain" });
      res.end("Method Not Allowed");
      return true;
    }
    const channel = this.store.mustTable("integrationchannels").get(match[1] ?? "");
    if (!channel) {
      // Symfony's ParamConverter: no entity for the id.
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("Not Found");
      return true;
    }
    const enabled = channel.attributes.enabled !== false;
    const force = ["1", "true"].includes(url.searchParams.get("force") ?? "");
    if (enabled) this.schedule(channel, force);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ successful: enabled, message: enabled ? SCHEDULED_MESSAGE : DEACTIVATED_MESSAGE }));
    return true;
  }

  private schedule(channel: StoredRecord, force: boolean): void {
    const job: SyncJob = { id: this.jobs.length + 1, channelId: channel.id, force, status: "new" };
    this.jobs.push(job);
    const run = this.run(job).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async run(job: SyncJob): Promise<void> {
    job.status = "running";
    const channel = this.store.mustTable("integrationchannels").get(job.channelId);
    // SyncIntegrationProcessor: "Integration should exist and be enabled", else REJECT.
    if (!channel || channel.attributes.enabled === false) return this.fail(job, "Integration should exist and be enabled");
    if (!this.processor) return this.fail(job, "Default sync processor was not set"); // SyncProcessorRegistry without a processor for the type
    const transport = findTransportOfChannel(this.store, channel.id);
    try {
      const ok = await this.processor({
        channel: {
          id: channel.id,
          name: String(channel.attributes.name),
          type: String(channel.attributes.type),
          connectors: [...((channel.attributes.connectors as string[] | undefined) ?? [])],
        },
        transport: transport
          ? {
              integration: String(transport.attributes.integration),
              region: String(transport.attributes.region),
              ingressUrl: String(transport.attributes.ingressUrl),
              connectors: [...(transport.attributes.connectors as string[])],
            }
          : undefined,
        connector: null,
        force: job.force,
      });
      job.status = ok ? "success" : "failed";
      if (!ok) job.error = "the sync processor returned false";
    } catch (error) {
      this.fail(job, (error as Error).message);
    }
  }

  private fail(job: SyncJob, error: string): void {
    job.status = "failed";
    job.error = error;
  }
}
