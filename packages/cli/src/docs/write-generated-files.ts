import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { generatedFiles, repositoryRoot } from "./generated-files.js";

// Entry point of `pnpm docs:scenario`: rewrites the generated scenario reference.
for (const file of generatedFiles()) {
  writeFileSync(file.path, file.text);
  process.stdout.write(`wrote ${relative(repositoryRoot, file.path)}\n`);
}
