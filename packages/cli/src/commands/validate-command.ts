import { Command } from "commander";
import { MstressError } from "@mstress/core";
import { checkScenarioFile } from "../scenario/scenario-checks.js";

/**
 * `mstress validate <scenario>...`: every check a run or a replay makes before it starts, plus sense checks.
 * One `OK` line per good file on stdout, warnings on stderr; any error fails the command (exit 2) after every
 * file has been checked, each error naming its file and field.
 */
export function validateCommand(): Command {
  return new Command("validate")
    .description("check scenario files: schema, venues and symbols, steps, opening margin; warn on legs that do not hedge")
    .argument("<scenarios...>", "scenario YAML files")
    .action((files: string[]) => {
      const errors: string[] = [];
      for (const file of files) {
        const check = checkScenarioFile(file);
        for (const warning of check.warnings) process.stderr.write(`mstress: ${warning}\n`);
        if (check.errors.length > 0) errors.push(...check.errors);
        else process.stdout.write(`${file}: OK (${check.summary ?? ""})\n`);
      }
      if (errors.length > 0) throw new MstressError("E_BAD_INPUT", errors.join("\n"));
    });
}
