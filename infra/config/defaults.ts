/**
 * Tunables the deploy config may override, in one place (docs/reference/design.md §4.4). Each value says why
 * it is what it is; `resolveConnectorSettings` merges: config override > connector default > these.
 */

/** Records per Lambda invocation: the SQS ESM default, and the FIFO maximum. */
export const DEFAULT_BATCH_SIZE = 10;
/** Seconds the ESM gathers records before invoking; 0 keeps latency low for webhooks. */
export const DEFAULT_BATCHING_WINDOW_SECONDS = 0;
/** Concurrent invocations per connector: caps the pressure one connector puts on Oro and the external API. */
export const DEFAULT_MAX_CONCURRENCY = 5;
export const DEFAULT_MEMORY_MB = 512;
export const DEFAULT_TIMEOUT_SECONDS = 60;
/**
 * AWS says at least 5 so throttled receives do not dead-letter good messages (docs/reference/aws.md
 * §3.3); with the runtime's exponential visibility backoff 10 attempts span hours, not seconds.
 */
export const DEFAULT_MAX_RECEIVE_COUNT = 10;
/** Below this the config needs `allowLowMaxReceiveCount: true`. */
export const MIN_SAFE_MAX_RECEIVE_COUNT = 5;
/** Visibility timeout as a multiple of the function timeout (AWS guidance, docs/reference/aws.md §3.3). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Records (FIFO: message groups) one invocation works on at once. */
export const DEFAULT_RECORD_CONCURRENCY = 4;
/** Window overlap, as Oro's Magento connector does (docs/reference/design.md §3). */
export const DEFAULT_WINDOW_OVERLAP_MINUTES = 5;
export const DEFAULT_TIME_ZONE = "UTC";
/** Message type a schedule sends when the connector does not name one. */
export const DEFAULT_SCHEDULE_MESSAGE_TYPE = "window";
/** Alarm when the oldest message of a source queue waits longer than this. */
export const DEFAULT_OLDEST_MESSAGE_AGE_ALARM_MINUTES = 15;
/** Source queues keep messages 4 days (the SQS default). */
export const SOURCE_RETENTION_DAYS = 4;
/**
 * DLQs keep messages 14 days (the SQS maximum): longer than the source, because a standard queue
 * keeps a message's original enqueue time when SQS moves it to the DLQ (docs/reference/aws.md §3.4).
 */
export const DLQ_RETENTION_DAYS = 14;
export const DEFAULT_LOG_RETENTION_DAYS = 30;
export const DEFAULT_LOG_LEVEL = "INFO";
export const DEFAULT_STACK_NAME = "OroConnectors";
export const DEFAULT_REGION = "us-east-1";
/** SQS caps queue names at 80 characters. */
export const MAX_QUEUE_NAME_LENGTH = 80;
/**
 * Lambda allows 4 KB of environment in total; the other variables take about 1.5 KB, so the
 * CONNECTOR_SETTINGS JSON gets the rest.
 */
export const MAX_CONNECTOR_SETTINGS_BYTES = 2500;
/** The notifier posts to one Oro: two at once is plenty and keeps it gentle. */
export const NOTIFIER_MAX_CONCURRENCY = 2;
/**
 * The notifier groups a batch by alert key before calling Oro, so larger batches mean fewer
 * calls: a burst of 1,000 failures of one kind costs about 20 Oro calls at 100 per batch with a
 * 5 s window, about 200 at 10.
 */
export const NOTIFIER_BATCH_SIZE = 100;
export const NOTIFIER_BATCHING_WINDOW_SECONDS = 5;
