import { InvalidArgumentError } from "commander";
import { isMarginMode, marginModes, type MarginMode } from "@mstress/core";

// Flag parsers: each rejects with the expectation, and commander names the flag in the one-line error.

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got ${JSON.stringify(value)}`);
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got ${JSON.stringify(value)}`);
  return n;
}

export function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError(`expected a rate in [0, 1) such as 0.005, got ${JSON.stringify(value)}`);
  return n;
}

export function collect<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

/** Counts (paths, workers, chunk sizes). */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** The half-width of `--precision`. */
export function halfWidth(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n >= 0.5) throw new InvalidArgumentError(`expected a half-width in (0, 0.5) such as 0.005, got ${JSON.stringify(value)}`);
  return n;
}

/** A probability strictly between 0 and 1, such as `--under`'s level. */
export function probability(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n >= 1) throw new InvalidArgumentError(`expected a probability in (0, 1) such as 0.01, got ${JSON.stringify(value)}`);
  return n;
}

/** `--shard i/n`. */
export function shardSpec(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`expected i/n with 1 <= i <= n, such as 2/4, got ${JSON.stringify(value)}`);
  return { index, count };
}

/** The master seed: kept short and plain so it names files and jobs safely. */
export function seedText(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) throw new InvalidArgumentError(`expected 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(value)}`);
  return value;
}

/** `--modes isolated,cross`: each a margin mode, each once. */
export function modeList(value: string): MarginMode[] {
  const modes = value.split(",").map((m) => m.trim());
  const bad = modes.find((m) => !isMarginMode(m));
  if (bad !== undefined) throw new InvalidArgumentError(`expected a comma-separated list of ${marginModes.join(", ")}, got ${JSON.stringify(bad)}`);
  const twice = modes.find((m, i) => modes.indexOf(m) !== i);
  if (twice !== undefined) throw new InvalidArgumentError(`expected each mode once, got ${twice} twice`);
  return modes.filter(isMarginMode);
}
