// Types for the robustness fuzzer (bench/fuzz.mjs), so its test is typed.

export interface FuzzResult {
  /** How many answers had each status ('200', '400', …); 'none' when the connection closed without one, 'timeout', 'unparsable'. */
  counts: Record<string, number>;
  /** Every 5xx answer with the request (its first 2 000 characters) that caused it. */
  serverErrors: Array<{ status: number; request: string }>;
  batches: number;
  requests: number;
  /** How many real tokens (from an auto-approving provider) were mutated; 0 when none could be had. */
  realTokens: number;
}

export function fuzzProvider(options: {
  port: number;
  host?: string;
  requests?: number;
  seed?: number;
  batchSize?: number;
  concurrency?: number;
  timeoutMs?: number;
  halfCloseAfterMs?: number;
  afterBatch?: (progress: { batch: number; sent: number }) => void | Promise<void>;
}): Promise<FuzzResult>;
