// In-memory state with expiry and a ceiling. Every entry has a deadline and an estimated size;
// a store holds at most `maxEntries` entries and `maxBytes` estimated bytes, so memory stays
// bounded whatever the requests. Expired entries are invisible at once and dropped by a periodic
// sweep, or at the front of the store when room is needed.
//
// Entries are kept in insertion order (a Map), and `set` moves a key to the end: in a store whose
// entries all live the same time, the front entry is the next to expire. That makes freeing room,
// evicting the oldest and "come back in N seconds" O(1).

export interface StoreLimits {
  maxEntries: number;
  /** An estimate of the memory the entries hold: see `stringBytes` and `ENTRY_OVERHEAD_BYTES`. */
  maxBytes: number;
}

/** What one entry costs beyond its key and value: the Map slot, the record holding value and deadline. */
export const ENTRY_OVERHEAD_BYTES = 160;

/**
 * A string's memory, counted high: V8 stores a string with any character beyond Latin-1 at two
 * bytes per character, plus a header. Stored strings must be own copies (see `ownCopy`).
 */
export function stringBytes(value: string | undefined): number {
  return value === undefined ? 0 : 24 + 2 * value.length;
}

/**
 * A copy of a string that holds only its own characters. A value parsed out of a URL or a body
 * can be a slice that keeps the whole request text alive: measured, a kept 100-character `state`
 * held its 60 KB body.
 */
export function ownCopy(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

interface Entry<Value> {
  value: Value;
  expiresAt: number;
  bytes: number;
}

export class ExpiringStore<Value> {
  private readonly entries = new Map<string, Entry<Value>>();
  private heldBytes = 0;
  /** When the last look for room found none: until then, the front entry has not expired. */
  private fullUntil = 0;

  constructor(
    private readonly nowMs: () => number,
    /** Changeable while running (tests shrink it); a smaller limit applies to the next entries. */
    public limits: StoreLimits = { maxEntries: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER },
    /** The estimated bytes of a value, beyond the key and the entry's overhead. */
    private readonly valueBytes: (value: Value) => number = () => 0,
  ) {}

  /** The estimated bytes one entry with this key and value holds. */
  entryBytes(key: string, value: Value): number {
    return ENTRY_OVERHEAD_BYTES + stringBytes(key) + this.valueBytes(value);
  }

  /**
   * 0 when an entry of this size fits now (expired entries at the front are dropped to make
   * room); otherwise the seconds until the oldest entry expires and frees its place.
   * `reserved`: that many more entries of the same size are promised to others and must fit too.
   */
  secondsUntilRoom(bytes: number, reserved = 0): number {
    if (this.fits(bytes, reserved)) return 0;
    const now = this.nowMs();
    if (now < this.fullUntil) return Math.ceil((this.fullUntil - now) / 1000);
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) {
        this.fullUntil = entry.expiresAt;
        return Math.ceil((entry.expiresAt - now) / 1000);
      }
      this.remove(key, entry);
      if (this.fits(bytes, reserved)) return 0;
    }
    // Empty, and the entries asked for are larger than the whole store: they never fit.
    return this.fits(bytes, reserved) ? 0 : Number.POSITIVE_INFINITY;
  }

  /** Stores the value, replacing any entry with this key; throws if it does not fit (check `secondsUntilRoom` first). */
  set(key: string, value: Value, ttlSeconds: number): void {
    const bytes = this.entryBytes(key, value);
    this.delete(key);
    if (this.secondsUntilRoom(bytes) > 0) throw new RangeError(`The store is full (${this.entries.size} entries, ${this.heldBytes} bytes).`);
    this.insert(key, value, ttlSeconds, bytes);
  }

  /**
   * Stores the value, evicting the oldest entries until it fits; returns how many live entries
   * were evicted, each also given to `onEvict` (so that what hangs off it can go too).
   */
  setEvictingOldest(key: string, value: Value, ttlSeconds: number, onEvict?: (key: string, value: Value) => void): number {
    const bytes = this.entryBytes(key, value);
    this.delete(key);
    let evicted = 0;
    while (!this.fits(bytes)) {
      const oldest = this.evictOldest();
      if (!oldest) break;
      if (oldest.live) {
        evicted++;
        onEvict?.(oldest.key, oldest.value);
      }
    }
    this.insert(key, value, ttlSeconds, bytes);
    return evicted;
  }

  /** Removes the front entry (the oldest set) and returns it, saying whether it was still live. */
  evictOldest(): { key: string; value: Value; live: boolean } | undefined {
    for (const [key, entry] of this.entries) {
      this.remove(key, entry);
      return { key, value: entry.value, live: entry.expiresAt > this.nowMs() };
    }
    return undefined;
  }

  /** Swaps the value of a live entry, keeping its deadline and its place. */
  replace(key: string, value: Value): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.nowMs()) return false;
    const bytes = this.entryBytes(key, value);
    this.heldBytes += bytes - entry.bytes;
    entry.value = value;
    entry.bytes = bytes;
    return true;
  }

  get(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.nowMs()) {
      this.remove(key, entry);
      return undefined;
    }
    return entry.value;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
  }

  /** Drops every expired entry; returns how many were dropped. */
  sweep(): number {
    const now = this.nowMs();
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.remove(key, entry);
        dropped++;
      }
    }
    return dropped;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The estimated bytes held, counted as entries come and go. */
  get bytes(): number {
    return this.heldBytes;
  }

  private fits(bytes: number, reserved = 0): boolean {
    return this.entries.size + reserved < this.limits.maxEntries && this.heldBytes + bytes * (1 + reserved) <= this.limits.maxBytes;
  }

  private insert(key: string, value: Value, ttlSeconds: number, bytes: number): void {
    this.entries.set(key, { value, expiresAt: this.nowMs() + ttlSeconds * 1000, bytes });
    this.heldBytes += bytes;
  }

  private remove(key: string, entry: Entry<Value>): void {
    this.entries.delete(key);
    this.heldBytes -= entry.bytes;
    this.fullUntil = 0;
  }
}
