import { Piscina } from "piscina";
import { planSimulation, type SimulationInput, type SimulationPlan } from "../kernel/simulation-plan.js";
import { RouteKernel } from "../kernel/route-kernel.js";
import { simulateChunk } from "../kernel/simulate-chunk.js";
import { movableChunk, type MovableChunk } from "../pool/chunk-message.js";
import type { PoolTask } from "../pool/simulation-pool.js";
import { serializeError } from "@mstress/core/errors";
import { chunkTables, chunkTableText } from "../tables/chunk-tables.js";

// The worker thread's entry: a thin shell over simulateChunk. The plan arrives once as workerData (structured
// clone of plain data) and is compiled on the first task; each result's arrays go back transferred, not copied.
// A pool shared by a sweep's points sends each chunk with its point's input instead, compiled when the point changes.

let compiled: { pointId: number | undefined; plan: SimulationPlan; kernel: RouteKernel } | undefined;

export default function simulate(task: PoolTask): MovableChunk {
  try {
    const pointId = task.point?.id;
    if (compiled === undefined || compiled.pointId !== pointId) {
      const plan = planSimulation(task.point?.input ?? (Piscina.workerData as SimulationInput));
      compiled = { pointId, plan, kernel: new RouteKernel(plan) };
    }
    const { plan, kernel } = compiled;
    const result = simulateChunk(kernel, plan.reservoirPaths, task);
    return Piscina.move(movableChunk(task.tables === true ? { ...result, tables: chunkTableText(chunkTables(plan, result)) } : result)) as MovableChunk;
  } catch (error) {
    // Plain data crosses the thread boundary whole; the pool turns it back into the error (`@mstress/core` worker-error.ts).
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw serializeError(error);
  }
}
