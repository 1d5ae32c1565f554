/** One numeric column of account or route outcomes and what each value must be. */
export interface ScopedColumnRule {
  readonly name: string;
  readonly values: Float64Array;
  readonly expected: string;
  readonly holds: (value: number, row: number) => boolean;
}

/**
 * Checks per-account or per-route outcome columns before they are summarised: every column as long as the
 * first, every mode one of the run's, each value within its rule, and every (mode, name) group holding exactly one
 * row per path. A truncated or hand-edited file therefore fails with the column and the first bad row named
 * rather than shifting a probability. Throws a RangeError with one line per problem.
 */
export function validateScopedOutcomes(
  what: string,
  keys: { readonly mode: readonly string[]; readonly name: readonly string[] },
  rules: readonly ScopedColumnRule[],
  expected: { readonly modes: readonly string[]; readonly paths: number },
): void {
  const rows = keys.mode.length;
  const problems: string[] = [];
  if (keys.name.length !== rows) problems.push(`${what}: expected as many names as modes (${rows}), got ${keys.name.length}`);
  for (const rule of rules) if (rule.values.length !== rows) problems.push(`${what}.${rule.name}: expected ${rows} values, got ${rule.values.length}`);
  if (problems.length > 0) throw new RangeError(problems.join("\n"));
  const badMode = keys.mode.findIndex((mode) => !expected.modes.includes(mode));
  if (badMode >= 0) problems.push(`${what}.mode: expected one of ${expected.modes.join(", ")}; row ${badMode} has ${JSON.stringify(keys.mode[badMode])}`);
  for (const rule of rules) {
    let first = -1;
    let violations = 0;
    for (let row = 0; row < rows; row++) {
      if (rule.holds(rule.values[row] ?? Number.NaN, row)) continue;
      if (violations === 0) first = row;
      violations++;
    }
    if (violations > 0) problems.push(`${what}.${rule.name}: expected ${rule.expected}; ${violations} row(s) violate it, first row ${first} (value ${rule.values[first] ?? Number.NaN})`);
  }
  // Counted by mode, then name: no key string is built per row (a run has paths x modes x entities rows).
  const counts = new Map<string, Map<string, number>>();
  for (let row = 0; row < rows; row++) {
    const mode = keys.mode[row] ?? "";
    const name = keys.name[row] ?? "";
    let byName = counts.get(mode);
    if (byName === undefined) counts.set(mode, (byName = new Map<string, number>()));
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  for (const [mode, byName] of counts) {
    for (const [name, count] of byName) {
      if (count !== expected.paths) problems.push(`${what}: ${mode} / ${name}: expected one row per path (${expected.paths}), got ${count}`);
    }
  }
  if (problems.length > 0) throw new RangeError(problems.join("\n"));
}

/** Rules shared by accounts and routes: a 0/1 flag and a time given exactly when the flag is 1. */
export function flagAndTimeRules(flagName: string, flags: Float64Array, timeName: string, times: Float64Array, horizonSeconds: number): ScopedColumnRule[] {
  return [
    { name: flagName, values: flags, expected: "0 or 1", holds: (v) => v === 0 || v === 1 },
    {
      name: timeName,
      values: times,
      expected: `a time in [0, ${horizonSeconds}] s when ${flagName} is 1, empty otherwise`,
      holds: (v, row) => (flags[row] === 1 ? Number.isFinite(v) && v >= 0 && v <= horizonSeconds : Number.isNaN(v)),
    },
  ];
}
