import { Command, Option } from "commander";
import { positiveInteger } from "../options/option-parsers.js";
import { batchTaskShard } from "../options/shard-range.js";

interface ShardOptions {
  of: number;
}

/**
 * `mstress shard --of n`: prints `i/n`, the shard of the batch task it runs in (a Slurm array task or a Kubernetes
 * Indexed Job pod), for `mstress run --shard`. Exit 2, naming the variable, outside such a task or when the task's
 * index does not fit n shards.
 */
export function shardCommand(): Command {
  return new Command("shard")
    .description("print this batch task's shard i/n (from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX) for mstress run --shard")
    .addOption(new Option("--of <n>", "the number of shards (array tasks or completions)").argParser(positiveInteger).makeOptionMandatory())
    .action((options: ShardOptions) => {
      const shard = batchTaskShard(process.env, options.of);
      process.stdout.write(`${String(shard.index)}/${String(shard.count)}\n`);
    });
}
