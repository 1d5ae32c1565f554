import { Piscina } from "piscina";
import { planSimulation, type SimulationInput } from "../kernel/simulation-plan.js";
import { RouteKernel } from "../kernel/route-kernel.js";
import { simulateChunk, type ChunkTask } from "../kernel/simulate-chunk.js";
import { packChunk } from "../pool/chunk-message.js";

// The worker thread's entry: a thin shell over simulateChunk. The plan arrives once as workerData (structured
// clone of plain data) and is compiled on the first task; each result goes back as one Float64Array, moved
// (transferred, not copied) at the top level of the message as piscina requires.

let kernel: RouteKernel | undefined;
let modes = 0;
let reservoirPaths = 0;

export default function simulate(task: ChunkTask): Float64Array {
  if (kernel === undefined) {
    const input = Piscina.workerData as SimulationInput;
    kernel = new RouteKernel(planSimulation(input));
    modes = input.modes.length;
    reservoirPaths = input.reservoirPaths;
  }
  return Piscina.move(packChunk(simulateChunk(kernel, modes, reservoirPaths, task))) as unknown as Float64Array;
}
