// Plain helpers on a policy as written, shared by the schema's checks and the simulation's compiled policies
// (which loads the engine entry only, without zod).

/** `free-balance`, `account:<name>` or `sell-spot:<leg>` as [kind, name]. */
export function splitSource(source: string): ["free-balance" | "account" | "sell-spot", string] {
  if (source.startsWith("account:")) return ["account", source.slice("account:".length)];
  if (source.startsWith("sell-spot:")) return ["sell-spot", source.slice("sell-spot:".length)];
  return ["free-balance", ""];
}

/** The name a policy is reported under: its own, else `<kind>-<index>`. */
export function policyName(policy: { readonly kind: string; readonly name?: string | undefined }, index: number): string {
  return policy.name ?? `${policy.kind}-${index}`;
}
