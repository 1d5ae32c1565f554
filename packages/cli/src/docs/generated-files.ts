import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { scenarioReference } from "./scenario-reference.js";

/** The repository root, from this module's place in packages/cli/{src,dist}/docs/. */
export const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** The files `pnpm docs:scenario` writes; their tests fail when a committed copy differs from this. */
export function generatedFiles(): { readonly path: string; readonly text: string }[] {
  return [
    { path: join(repositoryRoot, "docs/scenario-reference.md"), text: scenarioReference() },
  ];
}

export const regenerateCommand = "pnpm docs:scenario";
