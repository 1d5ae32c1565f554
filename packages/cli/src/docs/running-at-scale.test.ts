import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenarioYaml } from "@mstress/core";
import { mergeCommand } from "../commands/merge-command.js";
import { runCommand } from "../commands/run-command.js";
import { shardCommand } from "../commands/shard-command.js";
import { repositoryRoot } from "./generated-files.js";

// docs/examples/kubernetes/mstress-nightly.yaml, the manifest docs/running-at-scale.md describes: its Jobs are
// wired together consistently, the commands use only flags the CLI has, and the shell scripts its pods run,
// executed here for every completion index on a tiny run, give the merged result a single run gives.

const manifestFile = join(repositoryRoot, "docs/examples/kubernetes/mstress-nightly.yaml");
const bin = join(repositoryRoot, "packages/cli/dist/bin/mstress.js");

interface Container {
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly envFrom: readonly { readonly configMapRef: { readonly name: string } }[];
  readonly resources: { readonly requests: { readonly cpu: string } };
  readonly volumeMounts: readonly { readonly name: string; readonly mountPath: string }[];
}
interface PodSpec {
  readonly restartPolicy: string;
  readonly containers: readonly Container[];
  readonly volumes: readonly { readonly name: string; readonly persistentVolumeClaim: { readonly claimName: string } }[];
}
interface Resource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly data?: Readonly<Record<string, string>>;
  readonly spec?: { readonly completionMode?: string; readonly completions?: number; readonly parallelism?: number; readonly template: { readonly spec: PodSpec } };
}

const resources = readFileSync(manifestFile, "utf8")
  .split(/^---$/m)
  .map((document) => parseScenarioYaml(document, manifestFile) as Resource);
const config = resources.find((r) => r.kind === "ConfigMap");
const jobs = resources.filter((r) => r.kind === "Job");
const shardJob = jobs.find((j) => j.spec?.completionMode === "Indexed");
const mergeJob = jobs.find((j) => j !== shardJob);
const container = (job: Resource | undefined): Container => {
  const first = job?.spec?.template.spec.containers[0];
  if (first === undefined) throw new Error(`no container in job ${job?.metadata.name ?? "(missing)"}`);
  return first;
};
const script = (job: Resource | undefined): string => container(job).args[0] ?? "";
const data = config?.data ?? {};

describe("the Kubernetes example: an Indexed Job of shards and a merge Job", () => {
  it("holds a ConfigMap, an Indexed Job and a merge Job, all batch/v1 and v1", () => {
    expect(resources.map((r) => `${r.apiVersion} ${r.kind}`)).toEqual(["v1 ConfigMap", "batch/v1 Job", "batch/v1 Job"]);
    expect(shardJob).toBeDefined();
    expect(mergeJob).toBeDefined();
  });

  it("runs one shard per completion index: completions = SHARDS, the shard from mstress shard (JOB_COMPLETION_INDEX + 1)", () => {
    expect(shardJob?.spec?.completions).toBe(Number(data.SHARDS));
    expect(shardJob?.spec?.parallelism).toBeLessThanOrEqual(shardJob?.spec?.completions ?? 0);
    expect(script(shardJob)).toContain('shard=$(mstress shard --of "$SHARDS")');
    expect(script(shardJob)).toMatch(/--shard "\$shard"/);
  });

  it("takes its shard from the one function the Slurm example's tasks use: no index arithmetic of its own", () => {
    const slurmTask = readFileSync(join(repositoryRoot, "docs/examples/slurm/shard.sh"), "utf8");
    expect(slurmTask).toContain('shard=$(mstress shard --of "$MSTRESS_SHARDS")');
    const code = (text: string): string => text.split("\n").filter((line) => !line.trim().startsWith("#")).join("\n");
    for (const text of [code(script(shardJob)), code(slurmTask)]) {
      expect(text).not.toMatch(/JOB_COMPLETION_INDEX|SLURM_ARRAY_TASK_ID/);
      expect(text).toContain('out="$');
      expect(text).toContain("/shard-${shard%/*}");
    }
  });

  it("wires both Jobs to the same settings and the same results volume, pods not restarted in place", () => {
    for (const job of [shardJob, mergeJob]) {
      const spec = job?.spec?.template.spec;
      expect(spec?.restartPolicy).toBe("Never");
      expect(container(job).command).toEqual(["sh", "-c"]);
      expect(container(job).envFrom).toEqual([{ configMapRef: { name: config?.metadata.name } }]);
      expect(spec?.volumes).toEqual([{ name: "results", persistentVolumeClaim: { claimName: "mstress-results" } }]);
      const mount = container(job).volumeMounts.find((m) => m.name === "results");
      expect(data.RESULTS?.startsWith(`${mount?.mountPath ?? "?"}/`)).toBe(true);
    }
    expect(container(shardJob).image).toBe(container(mergeJob).image);
  });

  it("gives each shard as many workers as the CPUs its pod requests", () => {
    expect(script(shardJob)).toContain(`--workers ${container(shardJob).resources.requests.cpu}`);
  });

  it("uses only flags mstress run and mstress merge have", () => {
    const flagsOf = (text: string, command: string): string[] =>
      text.split("\n").filter((line) => line.trim().startsWith(`mstress ${command} `)).flatMap((line) => [...line.matchAll(/(--[a-z-]+)/g)].map((m) => m[1] ?? ""));
    const shardFlags = new Set(shardCommand().options.map((o) => o.long));
    expect(script(shardJob).match(/mstress shard (--[a-z-]+)/)?.[1]).toBe("--of");
    expect(shardFlags.has("--of")).toBe(true);
    const runFlags = new Set(runCommand().options.map((o) => o.long));
    const mergeFlags = new Set(mergeCommand().options.map((o) => o.long));
    expect(flagsOf(script(shardJob), "run").length).toBeGreaterThan(4);
    for (const flag of flagsOf(script(shardJob), "run")) expect(runFlags.has(flag), flag).toBe(true);
    expect(flagsOf(script(mergeJob), "merge")).toEqual(["--out"]);
    for (const flag of flagsOf(script(mergeJob), "merge")) expect(mergeFlags.has(flag), flag).toBe(true);
  });
});

describe("the Kubernetes example's scripts, run here for every index on a tiny run", () => {
  const work = mkdtempSync(join(tmpdir(), "mstress-k8s-"));
  // `mstress` on PATH, as the image's Dockerfile links it.
  const shims = join(work, "bin");
  mkdirSync(shims);
  writeFileSync(join(shims, "mstress"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(join(shims, "mstress"), 0o755);
  const results = join(work, "night");
  const paths = 48;
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, ...data, PATHS: String(paths), RESULTS: results, PATH: `${shims}:${process.env.PATH ?? ""}`, ...extra });
  // The merge script waits for every shard: the timeout stops it if a shard is missing (spawnSync blocks vitest's own).
  const sh = (text: string, extra: Record<string, string> = {}) => spawnSync("sh", ["-c", text], { encoding: "utf8", cwd: repositoryRoot, env: env(extra), timeout: 60_000 });
  const shards = Number(data.SHARDS);

  it("shard pods write shard-1 .. shard-n covering contiguous path ranges; the merge pod joins them into the single run's result", { timeout: 120_000 }, () => {
    for (let index = 0; index < shards; index++) {
      const pod = sh(script(shardJob), { JOB_COMPLETION_INDEX: String(index) });
      expect(pod.status, pod.stderr).toBe(0);
    }
    expect(readdirSync(results).filter((d) => d.startsWith("shard-")).sort()).toEqual(Array.from({ length: shards }, (_, i) => `shard-${i + 1}`).sort());
    // Shard i of n holds paths [floor((i-1) N / n), floor(i N / n)).
    for (let i = 1; i <= shards; i++) {
      const manifest = JSON.parse(readFileSync(join(results, `shard-${i}`, "manifest.json"), "utf8")) as { firstPath: number; paths: number; shard: { index: number; count: number } };
      expect(manifest.shard).toEqual({ index: i, count: shards });
      expect(manifest.firstPath).toBe(Math.floor(((i - 1) * paths) / shards));
      expect(manifest.firstPath + manifest.paths).toBe(Math.floor((i * paths) / shards));
    }
    const merge = sh(script(mergeJob));
    expect(merge.status, merge.stderr).toBe(0);
    const single = join(work, "single");
    const one = spawnSync(process.execPath, [bin, "run", data.SCENARIO ?? "", "--paths", String(paths), "--seed", data.SEED ?? "", "--out", single], { encoding: "utf8", cwd: repositoryRoot });
    expect(one.status, one.stderr).toBe(0);
    for (const file of ["summary.json", "outcomes.csv"]) expect(readFileSync(join(results, "all", file), "utf8"), file).toBe(readFileSync(join(single, file), "utf8"));
  });

  it("makes a retried pod harmless: a finished shard or merge is left as it is", () => {
    const before = readFileSync(join(results, "shard-1", "outcomes.csv"), "utf8");
    const retry = sh(script(shardJob), { JOB_COMPLETION_INDEX: "0" });
    expect(retry.status).toBe(0);
    expect(retry.stdout).toContain("already done");
    expect(readFileSync(join(results, "shard-1", "outcomes.csv"), "utf8")).toBe(before);
    const mergeAgain = sh(script(mergeJob));
    expect(mergeAgain.status).toBe(0);
    expect(mergeAgain.stdout).toContain("already merged");
  });
});
