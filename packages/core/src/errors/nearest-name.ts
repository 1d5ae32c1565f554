import { distance } from "fastest-levenshtein";

/**
 * The candidate a mistyped name most likely meant, or undefined when none is close: case is ignored, and a name
 * may be off by two edits (a transposed pair counts two), or by a third of its length when longer.
 */
export function nearestName(typed: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const edits = distance(typed.toLowerCase(), candidate.toLowerCase());
    if (edits < bestDistance && edits <= Math.max(2, Math.floor(candidate.length / 3))) {
      best = candidate;
      bestDistance = edits;
    }
  }
  return best;
}
