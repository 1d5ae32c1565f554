import { formatCount, formatDuration } from "../format/format-figures.js";
import { stopReasonText } from "../gate/sampling-stop.js";
import { html, type SafeHtml } from "../html/safe-html.js";
import type { RunReportInput } from "./report-input.js";

function entries(pairs: readonly (readonly [string, string | null])[]): SafeHtml {
  return html`<dl class="manifest">${pairs.filter(([, value]) => value !== null).map(([key, value]) => html`<dt>${key}</dt><dd>${value}</dd>`)}</dl>`;
}

/** The scenario file as written, as text. */
export function scenarioSection(input: RunReportInput): SafeHtml {
  return html`<section id="scenario"><h2>Scenario</h2><p class="muted">${input.manifest.scenario.file}, sha256 ${input.manifest.scenario.sha256}</p><pre class="source">${input.scenarioText}</pre></section>`;
}

/**
 * The manifest in two blocks. "Reproduce" holds what fixes the figures, identical for one run and for its shards
 * merged; "Execution" how this run was carried out (start time, wall time, workers, chunk size, Node, throughput,
 * memory, shards merged), which is the only part of the page that differs between those two.
 */
export function manifestSection(input: RunReportInput): SafeHtml {
  const { manifest } = input;
  const e = manifest.execution;
  const precision = manifest.precision === null ? null : `±${String(manifest.precision.halfWidth)} half-width, at most ${formatCount(manifest.precision.maxPaths)} paths, batches of ${formatCount(manifest.precision.batchSize)}`;
  const reproduce = entries([
    ["mstress version", manifest.version],
    ["git commit", manifest.gitCommit ?? "unknown"],
    ["scenario", `${manifest.scenario.name} (${manifest.scenario.file})`],
    ["scenario sha256", manifest.scenario.sha256],
    ["seed", manifest.seed],
    ["modes", manifest.modes.join(", ")],
    ["paths", formatCount(manifest.paths)],
    ["horizon", `${formatDuration(manifest.horizonSeconds)} in ${formatCount(manifest.steps)} steps of ${formatDuration(manifest.stepSeconds)}${subStepText(manifest.policySubStepSeconds ?? null)}`],
    ["reservoir", `first ${formatCount(Math.min(manifest.reservoirPaths, manifest.paths))} paths`],
    ["stopped", stopReasonText(manifest.paths, manifest)],
    ["precision", precision],
  ]);
  const execution = entries([
    ["started", e.startedAt ?? null],
    ["wall time", e.wallSeconds === undefined ? null : `${e.wallSeconds.toFixed(1)} s`],
    ["throughput", e.pathMinuteStepsPerSecond === undefined ? null : `${e.pathMinuteStepsPerSecond.toExponential(2)} path x 1-minute steps / s`],
    ["workers", e.workers === undefined ? null : String(e.workers)],
    ["chunk size", e.chunkSize === undefined ? null : String(e.chunkSize)],
    ["Node", e.node ?? null],
    ["peak RSS", e.peakRssMegabytes === undefined ? null : `${e.peakRssMegabytes.toFixed(0)} MB`],
    ["shard", e.shard === undefined || e.shard === null ? null : `${String(e.shard.index)} of ${String(e.shard.count)}`],
    ["merged from", e.mergedFrom === undefined ? null : e.mergedFrom.join(", ")],
  ]);
  return html`<section class="two-col" id="manifest">
<div class="panel" id="reproduce"><h2>Reproduce</h2><p class="muted">With this scenario file and version, the seed and paths fix every figure on this page.</p>${reproduce}</div>
<div class="panel" id="execution"><h2>Execution</h2><p class="muted">How this run was carried out; it does not change the figures.</p>${execution}</div>
</section>`;
}

/** Where policies are timed on sub-steps of the generated step, on which. */
function subStepText(subStepSeconds: number | null): string {
  return subStepSeconds === null ? "" : `, policies timed on ${formatDuration(subStepSeconds)} sub-steps where one may act`;
}
