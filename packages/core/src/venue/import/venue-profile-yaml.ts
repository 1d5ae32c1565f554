import { Document, isMap, isScalar, isSeq, visit } from "yaml";
import type { VenueProfile } from "../venue-profile.js";

/**
 * A venue file as YAML, in the shipped files' layout: one flow map per tier, long sources folded (`>-`), a header
 * comment. Deterministic (no clock, no absolute paths), so importing the same responses twice gives the same bytes.
 */
export function venueProfileYaml(profile: VenueProfile, header: readonly string[]): string {
  const document = new Document(profile);
  document.commentBefore = header.map((line) => ` ${line}`).join("\n");
  visit(document, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === "tiers" && isSeq(pair.value)) {
        for (const tier of pair.value.items) if (isMap(tier)) tier.flow = true;
      }
      if (isScalar(pair.key) && pair.key.value === "source" && isScalar(pair.value) && String(pair.value.value).length > 60) pair.value.type = "BLOCK_FOLDED";
    },
  });
  return document.toString({ lineWidth: 118, minContentWidth: 40 });
}
