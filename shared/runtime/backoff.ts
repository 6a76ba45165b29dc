/** SQS's ceiling for a message's visibility timeout (12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;
export const DEFAULT_BACKOFF_BASE_SECONDS = 10;
export const DEFAULT_BACKOFF_CAP_SECONDS = 900;

/**
 * Visibility timeout for a record that failed transiently: exponential backoff with full jitter
 * ("Exponential Backoff And Jitter", AWS Architecture Blog), from the number of times SQS has
 * delivered it: a random value in [0, min(cap, base * 2^(receiveCount - 1))], at least 1 s
 * (a base of 0 turns backoff off: the record is visible again at once, as tests want).
 */
export const visibilityBackoffSeconds = (receiveCount: number, options: { baseSeconds?: number; capSeconds?: number; random?: () => number } = {}): number => {
  const base = options.baseSeconds ?? DEFAULT_BACKOFF_BASE_SECONDS;
  const cap = Math.min(options.capSeconds ?? DEFAULT_BACKOFF_CAP_SECONDS, MAX_VISIBILITY_SECONDS);
  const exponent = Math.max(0, Math.min(receiveCount - 1, 30));
  const ceiling = Math.min(cap, base * 2 ** exponent);
  if (ceiling <= 0) return 0;
  const random = options.random ?? Math.random;
  return Math.max(1, Math.round(random() * ceiling));
};
