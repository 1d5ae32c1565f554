import { MstressError } from "../../errors/mstress-error.js";
import type { VenueProfile } from "../venue-profile.js";
import { assembleVenueProfile, type FeeOverride, type ImportReport } from "./assemble-venue-profile.js";
import { binanceImporter } from "./binance-import.js";
import { bybitImporter } from "./bybit-import.js";
import { hyperliquidImporter } from "./hyperliquid-import.js";
import type { ResponsesByRole, VenueImporter } from "./imported-venue.js";
import { okxImporter } from "./okx-import.js";
import { venueProfileYaml } from "./venue-profile-yaml.js";

/** The venues `mstress venue import` reads, by the name of the venue file each writes. */
export const venueImporters: Readonly<Record<string, VenueImporter>> = Object.fromEntries(
  [binanceImporter, bybitImporter, okxImporter, hyperliquidImporter].map((importer) => [importer.venue, importer]),
);

export function venueImporter(venue: string): VenueImporter {
  const importer = venueImporters[venue];
  if (importer === undefined) throw new MstressError("E_BAD_INPUT", `<venue>: expected one of ${Object.keys(venueImporters).join(", ")}, got ${JSON.stringify(venue)}`);
  return importer;
}

export interface VenueImportInput {
  readonly importer: VenueImporter;
  readonly responses: ResponsesByRole;
  /** `--symbols`: import only these (each must be listed); undefined imports every listed perpetual. */
  readonly symbols: readonly string[] | undefined;
  /** The file being replaced, else the shipped one: its hand-written blocks are kept. */
  readonly existing: VenueProfile;
  readonly fees: FeeOverride | undefined;
}

export interface VenueImport {
  readonly profile: VenueProfile;
  /** The venue file's text. */
  readonly yaml: string;
  readonly report: ImportReport;
}

/** Reads the responses, assembles the venue file and renders it: everything but the file system. */
export function importVenue(input: VenueImportInput): VenueImport {
  const { importer } = input;
  if (input.existing.name !== importer.venue) {
    throw new MstressError("E_BAD_INPUT", `--out: the existing file is venue ${JSON.stringify(input.existing.name)}; expected ${importer.venue} (an import keeps that file's hand-written blocks)`);
  }
  const result = importer.read(input.responses, input.symbols);
  const { profile, report } = assembleVenueProfile(importer, result, input.existing, input.fees);
  const header = [
    `${profile.title}: imported by \`mstress venue import ${importer.venue}\` from the venue's own API responses.`,
    "Each figure group names its request, response file and SHA-256 (source) and when it was true (asOf).",
    "title, maintenanceConvention, liquidation and portfolio are hand-written (docs/venues.md) and kept by every import;",
    "see packages/core/venues/README.md.",
  ];
  return { profile, yaml: venueProfileYaml(profile, header), report };
}
