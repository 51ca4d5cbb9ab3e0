// In-memory state with expiry. Every entry has a deadline; expired entries are invisible at
// once and dropped by a periodic sweep, so memory stays bounded under load.

export class ExpiringStore<Value> {
  private readonly entries = new Map<string, { value: Value; expiresAt: number }>();

  constructor(private readonly nowMs: () => number) {}

  set(key: string, value: Value, ttlSeconds: number): void {
    this.entries.set(key, { value, expiresAt: this.nowMs() + ttlSeconds * 1000 });
  }

  get(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.nowMs()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every expired entry; returns how many were dropped. */
  sweep(): number {
    const now = this.nowMs();
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.entries.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.entries.size;
  }
}
