import { MstressError } from "@mstress/core/engine";
import { Piscina } from "piscina";
import type { ChunkTask } from "../kernel/simulate-chunk.js";
import type { SimulationInput } from "../kernel/simulation-plan.js";
import type { ChunkMessage } from "./chunk-message.js";
import { simulateWorkerFile } from "./worker-file.js";

/**
 * A chunk as sent to a worker. `point` names the simulation it belongs to when the pool serves more than one (a
 * sweep's grid points): the worker compiles that input's plan when it differs from the one it last compiled.
 * Without it, the chunk is of the input the pool was started with (its workerData, sent once per worker).
 */
export interface PoolTask extends ChunkTask {
  readonly point?: { readonly id: number; readonly input: SimulationInput };
}

/**
 * The worker threads that simulate chunks. One pool per run (started with the run's input), or one for a whole
 * sweep: a worker's first chunks run several times slower than later ones (module loading, then the JIT warming up
 * on the kernel), and with a pool per grid point every point paid that again (~2 s a point for 500 paths, against
 * ~0.2 s warm). Results do not depend on the pool: each path has its own random streams and each point's plan is
 * compiled from its own input.
 */
export class SimulationPool {
  readonly workers: number;
  readonly #piscina: Piscina;
  readonly #startInput: SimulationInput | undefined;
  readonly #ids = new WeakMap<SimulationInput, number>();
  #nextId = 1;

  /** Starts `workers` (a positive integer) threads now; `input`, when given, goes to each once, not with every chunk. */
  constructor(workers: number, input?: SimulationInput) {
    if (!Number.isInteger(workers) || workers < 1) throw new MstressError("E_BAD_INPUT", `--workers: expected a positive integer, got ${workers}`);
    this.workers = workers;
    this.#startInput = input;
    this.#piscina = new Piscina({ filename: simulateWorkerFile(), minThreads: workers, maxThreads: workers, workerData: input, idleTimeout: 1000 });
  }

  /** Simulates one chunk of `input`'s paths. */
  run(input: SimulationInput, chunk: ChunkTask, signal: AbortSignal): Promise<ChunkMessage> {
    const task: PoolTask = input === this.#startInput ? chunk : { ...chunk, point: { id: this.#idOf(input), input } };
    return this.#piscina.run(task, { signal }) as Promise<ChunkMessage>;
  }

  destroy(): Promise<void> {
    return this.#piscina.destroy();
  }

  #idOf(input: SimulationInput): number {
    let id = this.#ids.get(input);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(input, id);
    }
    return id;
  }
}
