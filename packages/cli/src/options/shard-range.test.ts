import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchTaskShard, shardRange } from "./shard-range.js";

describe("batchTaskShard: a batch task's index as shard i/n", () => {
  it("counts a Slurm array from its first task id, in its steps", () => {
    // --array=1-8: ids 1..8 are shards 1..8; --array=0-7: ids 0..7 are shards 1..8; --array=10-24:2 (8 tasks):
    // id 16 is the 4th task ((16 - 10) / 2 + 1).
    expect(batchTaskShard({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "8" }, 8)).toEqual({ index: 3, count: 8 });
    expect(batchTaskShard({ SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_COUNT: "8" }, 8)).toEqual({ index: 1, count: 8 });
    expect(batchTaskShard({ SLURM_ARRAY_TASK_ID: "16", SLURM_ARRAY_TASK_MIN: "10", SLURM_ARRAY_TASK_STEP: "2", SLURM_ARRAY_TASK_COUNT: "8" }, 8)).toEqual({ index: 4, count: 8 });
  });

  it("counts a Kubernetes Indexed Job's completion index from 0", () => {
    expect(batchTaskShard({ JOB_COMPLETION_INDEX: "0" }, 8)).toEqual({ index: 1, count: 8 });
    expect(batchTaskShard({ JOB_COMPLETION_INDEX: "7" }, 8)).toEqual({ index: 8, count: 8 });
  });

  it("refuses, naming the variable, what is not one task of n shards", () => {
    expect(() => batchTaskShard({}, 4)).toThrow(/no batch task index in the environment; expected SLURM_ARRAY_TASK_ID .* or JOB_COMPLETION_INDEX/);
    expect(() => batchTaskShard({ SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "8" }, 4)).toThrow(/--of 4: the Slurm array has 8 tasks/);
    expect(() => batchTaskShard({ JOB_COMPLETION_INDEX: "4" }, 4)).toThrow(/this task is shard 5, beyond the 4 shards/);
    expect(() => batchTaskShard({ JOB_COMPLETION_INDEX: "-1" }, 4)).toThrow(/JOB_COMPLETION_INDEX="-1": expected a whole number >= 0/);
    expect(() => batchTaskShard({ SLURM_ARRAY_TASK_ID: "1", JOB_COMPLETION_INDEX: "0" }, 4)).toThrow(/both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set/);
    expect(() => batchTaskShard({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_STEP: "2" }, 4)).toThrow(/not on the array's range/);
  });

  it("gives every path to exactly one task, in order, whichever batch system numbers the tasks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 5 }), (count, total, first) => {
        for (const taskEnv of [(k: number) => ({ JOB_COMPLETION_INDEX: String(k) }), (k: number) => ({ SLURM_ARRAY_TASK_ID: String(first + k), SLURM_ARRAY_TASK_MIN: String(first), SLURM_ARRAY_TASK_COUNT: String(count) })]) {
          let next = 0;
          for (let k = 0; k < count; k++) {
            const range = shardRange(total, batchTaskShard(taskEnv(k), count));
            expect(range.first).toBe(next);
            next += range.count;
          }
          expect(next).toBe(total);
        }
      }),
      { seed: 20, numRuns: 200 },
    );
  });
});
