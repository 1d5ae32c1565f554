import { writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { Command } from "commander";
import { MstressError } from "@mstress/core";
import { starterScenario } from "../scenario/starter-scenario.js";

/** `mstress init <name>`: writes `<name>.yaml`, a commented starter scenario; never overwrites a file. */
export function initCommand(): Command {
  return new Command("init")
    .description("write <name>.yaml, a commented starter scenario (never overwrites)")
    .argument("<name>", "scenario name, or a path without .yaml (letters, digits, '.', '_', '-')")
    .action((reference: string) => {
      const file = resolve(reference.endsWith(".yaml") ? reference : `${reference}.yaml`);
      const name = basename(file, ".yaml");
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
        throw new MstressError("E_BAD_INPUT", `name: expected letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${JSON.stringify(name)}`);
      }
      try {
        // "wx" fails if the file exists, so a concurrent writer cannot be overwritten either.
        writeFileSync(file, starterScenario(name), { flag: "wx" });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EEXIST") throw new MstressError("E_BAD_INPUT", `name: ${file} already exists; choose another name (mstress init never overwrites)`);
        if (code === "ENOENT") throw new MstressError("E_BAD_INPUT", `name: the folder of ${file} does not exist`);
        throw error;
      }
      process.stdout.write(`wrote ${file}\nnext: mstress validate ${reference.endsWith(".yaml") ? reference : `${reference}.yaml`}\n`);
    });
}
