/** The folder of venue profiles shipped with mstress (packages/core/venues/), for the CLI to read. */
export const shippedVenuesDirectory: URL = new URL("../../venues/", import.meta.url);
