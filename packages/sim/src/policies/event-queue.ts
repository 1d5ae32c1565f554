/** What a scheduled event does when its time comes. */
export const ScheduledKind = {
  /** A policy's transfer arrives in the account it tops up. */
  TransferArrival: 0,
  /** An unwind policy closes what is left of its routes. */
  Unwind: 1,
  /** A scripted auto-deleveraging (the plan's `scriptedAdl`, by index). */
  ScriptedAdl: 2,
  /** A policy's cooldown ends: its trigger is live again. */
  Rearm: 3,
} as const;
export type ScheduledKindCode = (typeof ScheduledKind)[keyof typeof ScheduledKind];

/**
 * The events of one path and evaluation that are due at known times (transfers in flight, delayed unwinds, scripted
 * ADL, cooldowns), in time order; events at the same time keep the order they were scheduled in. A path has a
 * handful, so a sorted insert into typed arrays (grown on demand) beats a heap and allocates nothing per event.
 */
export class EventQueue {
  #time = new Float64Array(8);
  #kind = new Int8Array(8);
  #subject = new Int32Array(8);
  #amount = new Float64Array(8);
  #size = 0;
  /** The event `pop` took off. */
  kind: ScheduledKindCode = ScheduledKind.Rearm;
  subject = 0;
  amount = 0;
  time = 0;

  clear(): void {
    this.#size = 0;
  }

  get size(): number {
    return this.#size;
  }

  /** Time of the next event; +Infinity when none is due. */
  nextTime(): number {
    return this.#size === 0 ? Number.POSITIVE_INFINITY : (this.#time[0] ?? Number.POSITIVE_INFINITY);
  }

  push(time: number, kind: ScheduledKindCode, subject: number, amount = 0): void {
    if (this.#size === this.#time.length) this.#grow();
    let i = this.#size;
    while (i > 0 && (this.#time[i - 1] ?? 0) > time) {
      this.#time[i] = this.#time[i - 1] ?? 0;
      this.#kind[i] = this.#kind[i - 1] ?? 0;
      this.#subject[i] = this.#subject[i - 1] ?? 0;
      this.#amount[i] = this.#amount[i - 1] ?? 0;
      i--;
    }
    this.#time[i] = time;
    this.#kind[i] = kind;
    this.#subject[i] = subject;
    this.#amount[i] = amount;
    this.#size++;
  }

  /** Takes the next event off into `kind`, `subject`, `amount` and `time`. */
  pop(): void {
    this.time = this.#time[0] ?? 0;
    this.kind = (this.#kind[0] ?? 0) as ScheduledKindCode;
    this.subject = this.#subject[0] ?? 0;
    this.amount = this.#amount[0] ?? 0;
    this.#time.copyWithin(0, 1, this.#size);
    this.#kind.copyWithin(0, 1, this.#size);
    this.#subject.copyWithin(0, 1, this.#size);
    this.#amount.copyWithin(0, 1, this.#size);
    this.#size--;
  }

  #grow(): void {
    const grow = <T extends Float64Array | Int8Array | Int32Array>(array: T, make: (n: number) => T): T => {
      const bigger = make(array.length * 2);
      bigger.set(array);
      return bigger;
    };
    this.#time = grow(this.#time, (n) => new Float64Array(n));
    this.#kind = grow(this.#kind, (n) => new Int8Array(n));
    this.#subject = grow(this.#subject, (n) => new Int32Array(n));
    this.#amount = grow(this.#amount, (n) => new Float64Array(n));
  }
}
