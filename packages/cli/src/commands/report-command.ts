import { join, resolve } from "node:path";
import { Command } from "commander";
import { signOff } from "../results/sign-off.js";
import { writeReport } from "../results/write-report.js";

/**
 * `mstress report <dir>`: rebuilds report.html and charts/ from a results directory and prints the sign-off gate;
 * exits like the run did (0 pass or no limits, 1 fail, 3 undecided; 2 for a directory that is not a finished run,
 * with nothing written).
 */
export function reportCommand(): Command {
  return new Command("report")
    .description("rebuild report.html and charts/ of a results directory and print the sign-off gate")
    .argument("<dir>", "results directory of mstress run or mstress merge")
    .action(async (dir: string) => {
      const gate = await writeReport(resolve(dir));
      process.stderr.write(`mstress: report in ${join(dir, "report.html")}\n`);
      signOff(gate, process.stdout);
    });
}
