import { join, resolve } from "node:path";
import { Command } from "commander";
import { MstressError } from "@mstress/core";
import { readResults } from "../results/read-results.js";
import { signOff } from "../results/sign-off.js";
import { writeReport } from "../results/write-report.js";

/**
 * `mstress report <dir>`: rebuilds report.html and charts/ from a results directory and prints the sign-off gate;
 * exits like the run did (0 pass or no limits, 1 fail, 3 undecided; 2 for a directory that is not a finished run,
 * with nothing written). A shard's directory is refused as trend refuses it: its verdict would be half a run's.
 */
export function reportCommand(): Command {
  return new Command("report")
    .description("rebuild report.html and charts/ of a results directory and print the sign-off gate")
    .argument("<dir>", "results directory of mstress run or mstress merge")
    .action(async (dir: string) => {
      const results = readResults(resolve(dir));
      const shard = results.manifest.execution.shard;
      if (shard !== undefined && shard !== null) {
        throw new MstressError("E_BAD_INPUT", `report: ${JSON.stringify(dir)} is shard ${String(shard.index)}/${String(shard.count)} of a run; expected a whole run (mstress merge the shards first, then report the merged directory)`);
      }
      const gate = await writeReport(resolve(dir), results);
      process.stderr.write(`mstress: report in ${join(dir, "report.html")}\n`);
      signOff(gate, process.stdout);
    });
}
