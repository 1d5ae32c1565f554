/** Paths [first, first + count) of shard i/n of `total` paths: contiguous, in path order. */
export function shardRange(total: number, shard: { readonly index: number; readonly count: number } | undefined): { first: number; count: number } {
  if (shard === undefined) return { first: 0, count: total };
  const first = Math.floor(((shard.index - 1) * total) / shard.count);
  const end = Math.floor((shard.index * total) / shard.count);
  return { first, count: end - first };
}
