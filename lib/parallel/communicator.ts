/**
 * Collective communication between the worker threads of one SPMD run (the primitives of NCCL/MPI and
 * `torch.distributed`, over shared memory on one machine):
 *
 *   allReduce(x)      every rank gets Σᵣ xᵣ                     (data parallel gradients; Megatron's f and g)
 *   reduceScatter(x)  rank r gets the r-th 1/N slice of Σᵣ xᵣ     (ZeRO-2's gradient sharding)
 *   allGather(x)      every rank gets x₀ ‖ x₁ ‖ … ‖ x_{N−1}       (ZeRO's parameter gathering)
 *   send(x, r) / recv(r)   point to point                        (pipeline stages)
 *
 * Layout, for `N` ranks and a capacity of `C` floats:
 *   slots     Float32Array [N·C]     rank r writes its contribution to [r·C, r·C + length)
 *   lengths   Int32Array   [N]       how many floats each rank wrote
 *   mailboxes Float32Array [N·N·C]   mailbox (src, dst) at [(src·N + dst)·C, …)
 *   flags     Int32Array   [2·N·N]   per mailbox: full (1) or empty (0), and the length sent
 *   control   Int32Array   [4]       the barrier's arrivals and generation, abort flag, failed rank
 *
 * Sums are taken in float64 in rank order by every rank that needs them, so every rank holds the same bits
 * (a ring all-reduce on a GPU sums in a different order per chunk, within float rounding of this).
 * Each rank counts what it sent as a ring algorithm would send it (see `CommStats`), for the cost model.
 */
import { abortBarrier, barrier, BarrierAborted } from "./shared-memory";

/** The SharedArrayBuffers of one SPMD run (structured-cloned to workers without copying). */
export interface CommBuffers {
  ranks: number;
  capacity: number;
  slots: SharedArrayBuffer;
  lengths: SharedArrayBuffer;
  mailboxes: SharedArrayBuffer;
  flags: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/** Zeroed buffers for `ranks` ranks exchanging at most `capacity` floats per call. */
export function allocateCommBuffers(ranks: number, capacity: number): CommBuffers {
  return {
    ranks,
    capacity,
    slots: new SharedArrayBuffer(ranks * capacity * 4),
    lengths: new SharedArrayBuffer(ranks * 4),
    mailboxes: new SharedArrayBuffer(ranks * ranks * capacity * 4),
    flags: new SharedArrayBuffer(2 * ranks * ranks * 4),
    control: new SharedArrayBuffer(4 * 4),
  };
}

/** What one rank moved, per primitive: calls, floats given, and floats a ring algorithm would send per rank. */
export interface CommStats {
  calls: Record<"allReduce" | "reduceScatter" | "allGather" | "send" | "recv", number>;
  /** Floats passed in, summed over calls. */
  elements: Record<"allReduce" | "reduceScatter" | "allGather" | "send" | "recv", number>;
  /**
   * Bytes each rank sends over the wire with ring algorithms (Patarasuk & Yuan 2009): all-reduce
   * `2(N−1)/N·bytes`, reduce-scatter and all-gather `(N−1)/N·bytes` of the full tensor, send `bytes`.
   */
  wireBytes: number;
  /** Milliseconds spent inside communication calls, waiting included. */
  ms: number;
}

function emptyStats(): CommStats {
  const zero = () => ({ allReduce: 0, reduceScatter: 0, allGather: 0, send: 0, recv: 0 });
  return { calls: zero(), elements: zero(), wireBytes: 0, ms: 0 };
}

/** The `[start, end)` slice of `size` elements that rank `rank` of `ranks` owns (the first ranks get the extra). */
export function shardRange(rank: number, ranks: number, size: number): [number, number] {
  const base = Math.floor(size / ranks);
  const extra = size % ranks;
  const start = rank * base + Math.min(rank, extra);
  return [start, start + base + (rank < extra ? 1 : 0)];
}

/** One rank's view of the shared buffers. All ranks must call the collectives in the same order. */
export class Communicator {
  readonly size: number;
  readonly capacity: number;
  stats: CommStats = emptyStats();
  private readonly slots: Float32Array;
  private readonly lengths: Int32Array;
  private readonly mailboxes: Float32Array;
  private readonly flags: Int32Array;
  private readonly control: Int32Array;

  constructor(
    readonly rank: number,
    buffers: CommBuffers,
  ) {
    this.size = buffers.ranks;
    this.capacity = buffers.capacity;
    this.slots = new Float32Array(buffers.slots);
    this.lengths = new Int32Array(buffers.lengths);
    this.mailboxes = new Float32Array(buffers.mailboxes);
    this.flags = new Int32Array(buffers.flags);
    this.control = new Int32Array(buffers.control);
  }

  /** Blocks until every rank has arrived. Throws `BarrierAborted` when another rank failed. */
  barrier(): void {
    barrier(this.control, this.size);
  }

  /** Marks this run failed: every rank blocked in (or later entering) a collective throws `BarrierAborted`. */
  abort(): void {
    abortBarrier(this.control, this.rank);
    // wake mailbox waiters too (they re-check the abort flag)
    for (let i = 0; i < this.flags.length; i++) Atomics.notify(this.flags, i);
  }

  /** Every rank gets the element-wise sum of every rank's `x` (same length on all ranks). */
  allReduce(x: Float32Array): Float32Array {
    return this.timed("allReduce", x.length, (2 * (this.size - 1) * x.length * 4) / this.size, () => {
      this.contribute(x);
      const out = this.sum(0, x.length);
      this.barrier(); // nobody overwrites its slot before every rank has read it
      return out;
    });
  }

  /** Rank r gets `Σ x[shardRange(r, N, x.length)]`: the reduced gradient's slice it owns (ZeRO-2). */
  reduceScatter(x: Float32Array): Float32Array {
    return this.timed("reduceScatter", x.length, ((this.size - 1) * x.length * 4) / this.size, () => {
      this.contribute(x);
      const out = this.sum(...shardRange(this.rank, this.size, x.length));
      this.barrier();
      return out;
    });
  }

  /** Every rank gets the ranks' arrays concatenated in rank order (they may differ in length). */
  allGather(x: Float32Array): Float32Array {
    return this.timed("allGather", x.length, 0, () => {
      this.contribute(x);
      const total = [...this.lengths].reduce((a, b) => a + b, 0);
      const out = new Float32Array(total);
      let offset = 0;
      for (let r = 0; r < this.size; r++) {
        const n = this.lengths[r] as number;
        out.set(this.slots.subarray(r * this.capacity, r * this.capacity + n), offset);
        offset += n;
      }
      this.stats.wireBytes += ((total - x.length) * 4); // a ring passes on every other rank's piece once
      this.barrier();
      return out;
    });
  }

  /** Sends `x` to rank `to`; blocks while `to` has not taken the previous message from this rank. */
  send(x: Float32Array, to: number): void {
    this.checkPeer(to, "send");
    this.timed("send", x.length, x.length * 4, () => {
      this.checkCapacity(x.length, "send");
      const box = this.rank * this.size + to;
      this.waitFlag(box, 0);
      this.mailboxes.set(x, box * this.capacity);
      Atomics.store(this.flags, 2 * box + 1, x.length);
      Atomics.store(this.flags, 2 * box, 1);
      Atomics.notify(this.flags, 2 * box);
    });
  }

  /** Receives the next message from rank `from` (blocks until it arrives). */
  recv(from: number): Float32Array {
    this.checkPeer(from, "recv");
    let length = 0;
    const out = this.timed("recv", 0, 0, () => {
      const box = from * this.size + this.rank;
      this.waitFlag(box, 1);
      length = Atomics.load(this.flags, 2 * box + 1);
      const copy = this.mailboxes.slice(box * this.capacity, box * this.capacity + length);
      Atomics.store(this.flags, 2 * box, 0);
      Atomics.notify(this.flags, 2 * box);
      return copy;
    });
    this.stats.elements.recv += length;
    return out;
  }

  /** Forgets the counters (e.g. after a warm-up step). */
  resetStats(): void {
    this.stats = emptyStats();
  }

  private contribute(x: Float32Array): void {
    this.checkCapacity(x.length, "collective");
    this.slots.set(x, this.rank * this.capacity);
    this.lengths[this.rank] = x.length;
    this.barrier(); // every rank's contribution is written
  }

  /** `Σᵣ slotᵣ[start, end)` in float64, rank order. */
  private sum(start: number, end: number): Float32Array {
    const out = new Float32Array(end - start);
    const c = this.capacity;
    for (let r = 0; r < this.size; r++) {
      if ((this.lengths[r] as number) < end) throw new Error(`rank ${r} gave ${this.lengths[r]} floats to a reduction of ${end} (all ranks must pass the same length)`);
    }
    for (let j = start; j < end; j++) {
      let s = 0;
      for (let r = 0; r < this.size; r++) s += this.slots[r * c + j] as number;
      out[j - start] = s;
    }
    return out;
  }

  private waitFlag(box: number, value: number): void {
    while (Atomics.load(this.flags, 2 * box) !== value) {
      if (Atomics.load(this.control, 2) !== 0) throw new BarrierAborted(Atomics.load(this.control, 3));
      Atomics.wait(this.flags, 2 * box, 1 - value, 1000); // the timeout only re-checks the abort flag
    }
  }

  private checkCapacity(length: number, what: string): void {
    if (length > this.capacity) throw new Error(`${what} of ${length} floats exceeds the communicator's capacity of ${this.capacity} (pass a larger \`capacity\` to runSpmd)`);
  }

  private checkPeer(peer: number, what: string): void {
    if (!Number.isInteger(peer) || peer < 0 || peer >= this.size || peer === this.rank) throw new Error(`${what}: rank ${this.rank} cannot exchange with rank ${peer} (ranks 0–${this.size - 1}, not itself)`);
  }

  private timed<T>(kind: keyof CommStats["calls"], elements: number, wireBytes: number, body: () => T): T {
    const start = performance.now();
    const out = body();
    this.stats.calls[kind] += 1;
    this.stats.elements[kind] += elements;
    this.stats.wireBytes += wireBytes;
    this.stats.ms += performance.now() - start;
    return out;
  }
}
