/**
 * A replay buffer (rehearsal; Robins 1995, Chaudhry et al. 2019 "On Tiny Episodic Memories in Continual
 * Learning"): keep a small, uniform sample of everything seen so far and mix it into the training of later tasks.
 * Filled by reservoir sampling (Vitter 1985, Algorithm R): after `n` offers each item is kept with probability
 * `capacity / n`, whatever the order or the number of tasks, with fixed memory. Plain TypeScript, no tensors.
 */
import type { Rng } from "../core/rng";

/** A fixed-capacity, uniformly sampled memory of past examples. */
export class ReplayBuffer<T> {
  private readonly items: T[] = [];
  /** How many items were ever offered. */
  seen = 0;

  /** @throws Error unless `capacity` is a positive integer */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ReplayBuffer: capacity must be a positive integer, got ${capacity}.`);
  }

  /** Items held now. */
  get size(): number {
    return this.items.length;
  }

  /** A copy of the items held, in slot order. */
  contents(): T[] {
    return [...this.items];
  }

  /** Offers one item: kept outright while there is room, else with probability `capacity / seen`, replacing a random slot. */
  add(item: T, rng: Rng): void {
    this.seen++;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    const slot = rng.int(this.seen); // uniform in [0, seen)
    if (slot < this.capacity) this.items[slot] = item;
  }

  /**
   * `k` distinct held items, uniformly without replacement (a partial Fisher–Yates shuffle); all of them when
   * `k ≥ size`. Does not change the buffer.
   */
  sample(k: number, rng: Rng): T[] {
    if (!Number.isInteger(k) || k < 0) throw new Error(`ReplayBuffer.sample: k must be an integer ≥ 0, got ${k}.`);
    const order = this.items.map((_, i) => i);
    const n = Math.min(k, order.length);
    for (let i = 0; i < n; i++) {
      const j = i + rng.int(order.length - i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order.slice(0, n).map((i) => this.items[i]!);
  }
}
