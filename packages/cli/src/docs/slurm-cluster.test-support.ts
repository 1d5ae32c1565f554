import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, hostname } from "node:os";
import { join } from "node:path";

// A single-node Slurm cluster on this machine for the Slurm example's test: Debian's slurm-wlm and munge (installed
// with apt-get when missing), a minimal slurm.conf in a temporary directory, and munged, slurmctld and slurmd started
// in the foreground with explicit paths and free ports, so nothing of the machine's own configuration is read or
// changed. `stop` cancels the cluster's jobs and ends the three daemons it started.

const binaries = ["munged", "slurmctld", "slurmd", "sbatch", "scontrol", "squeue", "scancel", "sinfo"] as const;
type Binary = (typeof binaries)[number];

/** A binary's path: on PATH, or in /usr/sbin and /usr/bin where Debian puts them (root's PATH may lack sbin). */
function locate(binary: Binary): string | null {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim() !== "") return found.stdout.trim();
  return ["/usr/sbin", "/usr/bin"].map((dir) => join(dir, binary)).find((path) => existsSync(path)) ?? null;
}

export type SlurmSetup = { readonly ready: true; readonly paths: Readonly<Record<Binary, string>> } | { readonly ready: false; readonly reason: string };

function located(): Partial<Record<Binary, string>> {
  return Object.fromEntries(binaries.flatMap((binary) => {
    const path = locate(binary);
    return path === null ? [] : [[binary, path]];
  }));
}

const complete = (paths: Partial<Record<Binary, string>>): paths is Record<Binary, string> => binaries.every((binary) => paths[binary] !== undefined);

/**
 * Slurm and munge, installed with apt-get when missing (CI runs as root on a fresh Debian machine); the reason why
 * not when they cannot be installed (not root, no apt-get, no package source), which is the only case the test
 * skips.
 */
export function ensureSlurm(): SlurmSetup {
  let paths = located();
  if (complete(paths)) return { ready: true, paths };
  const steps = [["apt-get", ["update"]], ["apt-get", ["install", "-y", "--no-install-recommends", "slurm-wlm", "munge"]]] as const;
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) {
      const detail = (result.error?.message ?? result.stderr).trim().split("\n").slice(-2).join(" / ");
      return { ready: false, reason: `Slurm is not installed and this machine cannot install it: \`${command} ${args.join(" ")}\` failed (exit ${String(result.status)}): ${detail}` };
    }
  }
  paths = located();
  if (complete(paths)) return { ready: true, paths };
  return { ready: false, reason: `apt-get installed slurm-wlm and munge, but ${binaries.filter((b) => paths[b] === undefined).join(", ")} cannot be found` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => { resolve(typeof address === "object" && address !== null ? address.port : 0); });
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface SlurmCluster {
  /** The environment Slurm's commands (and the jobs they submit) run in: SLURM_CONF pointing at this cluster. */
  readonly env: NodeJS.ProcessEnv;
  readonly dir: string;
  /** Runs a Slurm client command (scontrol, squeue...) against this cluster. */
  readonly client: (binary: "scontrol" | "squeue" | "scancel" | "sinfo", ...args: string[]) => { status: number | null; stdout: string; stderr: string };
  readonly stop: () => Promise<void>;
}

/**
 * The smallest slurm.conf that runs batch and array jobs here: this host as controller and only node (its real CPU
 * count), no accounting, no cgroups (linuxproc tracks a job's processes), root as the Slurm user. Two settings make
 * a test of minutes seconds instead: cred_expire=5 (a requeued job waits cred_expire + 1 s before it may start
 * again; 120 s by default) and sched_interval=1 (the scheduler looks at pending jobs every second, not every 60).
 * MinJobAge=5 keeps finished jobs long enough for `sbatch --wait` to read their exit status while letting it poll
 * every 2 s.
 */
function slurmConf(dir: string, node: string, ports: { controller: number; node: number }): string {
  return `ClusterName=mstress-test
SlurmctldHost=${node}(127.0.0.1)
SlurmctldPort=${String(ports.controller)}
SlurmdPort=${String(ports.node)}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=${dir}/munge.socket,cred_expire=5
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/slurmctld.log
SlurmdLogFile=${dir}/slurmd.log
PlugStackConfig=${dir}/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=5
MinJobAge=5
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmdParameters=config_overrides
NodeName=${node} NodeAddr=127.0.0.1 CPUs=${String(availableParallelism())} State=UNKNOWN
PartitionName=mstress Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

/**
 * Starts munged, slurmctld and slurmd on `dir` (a new directory whose parents everyone may traverse: munged refuses
 * a socket on a path closed to others) and waits until the node takes jobs.
 */
export async function startSlurmCluster(dir: string, paths: Readonly<Record<Binary, string>>): Promise<SlurmCluster> {
  mkdirSync(join(dir, "state"), { recursive: true });
  mkdirSync(join(dir, "spool"), { recursive: true });
  chmodSync(dir, 0o755);
  const node = hostname().split(".")[0] ?? "localhost";
  const conf = join(dir, "slurm.conf");
  writeFileSync(conf, slurmConf(dir, node, { controller: await freePort(), node: await freePort() }));
  writeFileSync(join(dir, "plugstack.conf"), "");
  writeFileSync(join(dir, "munge.key"), randomBytes(128), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const daemon = (binary: Binary, args: readonly string[]): void => {
    const log = openSync(join(dir, `${binary}.out`), "a");
    daemons.push(spawn(paths[binary], args, { env, stdio: ["ignore", log, log] }));
  };
  const client = (binary: "scontrol" | "squeue" | "scancel" | "sinfo", ...args: string[]) => {
    const result = spawnSync(paths[binary], args, { encoding: "utf8", env, timeout: 30_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const stop = async (): Promise<void> => {
    if (daemons.length >= 2) {
      client("scancel", "--partition=mstress");
      for (let i = 0; i < 40 && client("squeue", "-h").stdout.trim() !== ""; i++) await sleep(250);
    }
    // slurmd first (it ends the job steps it runs), then the controller, then munge which both use.
    for (const child of [...daemons].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<boolean>((resolve) => child.once("exit", () => { resolve(true); }));
      child.kill("SIGTERM");
      if (!(await Promise.race([exited, sleep(10_000).then(() => false)]))) child.kill("SIGKILL");
    }
  };
  try {
    daemon("munged", ["-F", `--key-file=${join(dir, "munge.key")}`, `--socket=${join(dir, "munge.socket")}`, `--pid-file=${join(dir, "munged.pid")}`, `--seed-file=${join(dir, "munged.seed")}`, `--log-file=${join(dir, "munged.log")}`]);
    for (let i = 0; i < 100 && !existsSync(join(dir, "munge.socket")); i++) await sleep(50);
    if (!existsSync(join(dir, "munge.socket"))) throw new Error(`munged did not start (see ${join(dir, "munged.out")})`);
    daemon("slurmctld", ["-D", "-f", conf]);
    daemon("slurmd", ["-D", "-f", conf, "-N", node]);
    for (let i = 0; i < 120; i++) {
      if (client("sinfo", "-h", "-o", "%T").stdout.trim() === "idle") return { env, dir, client, stop };
      await sleep(250);
    }
    throw new Error(`the Slurm node did not become idle in 30 s: ${client("sinfo", "-h", "-o", "%T %E").stdout.trim()} (see ${dir}/slurmctld.log, slurmd.log)`);
  } catch (error) {
    await stop();
    throw error;
  }
}
