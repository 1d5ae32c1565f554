import { MstressError } from "@mstress/core";

/** Shard i of n (1 <= i <= n): what `--shard i/n` names. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** Paths [first, first + count) of shard i/n of `total` paths: contiguous, in path order. */
export function shardRange(total: number, shard: ShardSpec | undefined): { first: number; count: number } {
  if (shard === undefined) return { first: 0, count: total };
  const first = Math.floor(((shard.index - 1) * total) / shard.count);
  const end = Math.floor((shard.index * total) / shard.count);
  return { first, count: end - first };
}

/** The environment variables a batch system gives each task, as `process.env` holds them. */
export type BatchEnvironment = Readonly<Record<string, string | undefined>>;

const bad = (message: string): MstressError => new MstressError("E_BAD_INPUT", `shard: ${message}`);

function taskNumber(env: BatchEnvironment, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === "") return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw bad(`${name}=${JSON.stringify(text)}: expected a whole number >= 0`);
  return Number(text);
}

/**
 * The shard i/`count` of the batch task this process runs in, from the index its batch system gives it: a Slurm
 * array task (`SLURM_ARRAY_TASK_ID`, counted from the array's first id `SLURM_ARRAY_TASK_MIN` in steps of
 * `SLURM_ARRAY_TASK_STEP`, so `--array=1-8` and `--array=0-7` both give shards 1/8..8/8) or a Kubernetes Indexed Job
 * pod (`JOB_COMPLETION_INDEX`, 0..n-1). Both examples (docs/examples/slurm, docs/examples/kubernetes) ask
 * `mstress shard` for their shard, so the task-to-paths arithmetic is this function and `shardRange`, once.
 */
export function batchTaskShard(env: BatchEnvironment, count: number): ShardSpec {
  const slurmTask = taskNumber(env, "SLURM_ARRAY_TASK_ID");
  const podIndex = taskNumber(env, "JOB_COMPLETION_INDEX");
  if (slurmTask !== undefined && podIndex !== undefined) throw bad("both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set; expected the index of one batch system");
  let index: number;
  if (slurmTask !== undefined) {
    const first = taskNumber(env, "SLURM_ARRAY_TASK_MIN") ?? slurmTask;
    const step = taskNumber(env, "SLURM_ARRAY_TASK_STEP") ?? 1;
    const tasks = taskNumber(env, "SLURM_ARRAY_TASK_COUNT");
    if (tasks !== undefined && tasks !== count) throw bad(`--of ${String(count)}: the Slurm array has ${String(tasks)} tasks (SLURM_ARRAY_TASK_COUNT); expected one task per shard (sbatch --array=1-${String(count)})`);
    if (step < 1 || slurmTask < first || (slurmTask - first) % step !== 0) throw bad(`SLURM_ARRAY_TASK_ID ${String(slurmTask)} is not on the array's range (first ${String(first)}, step ${String(step)}); expected an array such as --array=1-${String(count)}`);
    index = (slurmTask - first) / step + 1;
  } else if (podIndex !== undefined) {
    index = podIndex + 1;
  } else {
    throw bad("no batch task index in the environment; expected SLURM_ARRAY_TASK_ID (a Slurm array task) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job pod)");
  }
  if (index > count) throw bad(`--of ${String(count)}: this task is shard ${String(index)}, beyond the ${String(count)} shards; expected as many array tasks (or completions) as shards`);
  return { index, count };
}
