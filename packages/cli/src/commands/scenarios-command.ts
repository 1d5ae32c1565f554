import { dirname, relative } from "node:path";
import { Command } from "commander";
import { alignedTable } from "../output/aligned-table.js";
import { shippedScenarios } from "../scenario/shipped-scenarios.js";

interface ScenariosOptions {
  json?: boolean;
}

/** `mstress scenarios`: the shipped scenarios and the question each answers. */
export function scenariosCommand(): Command {
  return new Command("scenarios")
    .description("list the shipped scenarios with the question each answers")
    .option("--json", "print [{ name, file, question, answer }]")
    .action((options: ScenariosOptions) => {
      const scenarios = shippedScenarios();
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(scenarios, null, 2)}\n`);
        return;
      }
      const rows = scenarios.map((s) => [s.name, s.commands.join(", "), s.question]);
      const folder = scenarios[0] === undefined ? "" : dirname(relative(process.cwd(), scenarios[0].file));
      process.stdout.write(
        `${alignedTable([["scenario", "command", "question"], ...rows], "left")}\n\n` +
          `In ${folder === "" ? "." : folder}/: mstress run (or replay) <file>; mstress validate <file>; mstress init <name> writes a starter.\n`,
      );
    });
}
