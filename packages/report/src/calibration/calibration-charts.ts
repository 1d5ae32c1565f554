import { vegaLiteSchema, type ChartRecord, type ReportChart } from "../charts/report-chart.js";
import type { CalibrationResult } from "./calibration-result.js";
import { normalQuantilePoints } from "./goodness-of-fit.js";

/** One colour per series in every calibration chart: the data in ink, each model its own. */
const seriesColours: Readonly<Record<string, string>> = { observed: "#1f2933", gbm: "#7f8c9a", "jump-diffusion": "#d4802a", "garch-t": "#2e8b57" };

function seriesColour(series: readonly string[]): { field: string; type: "nominal"; title: string; scale: { domain: string[]; range: string[] }; sort: string[] } {
  return { field: "series", type: "nominal", title: "", scale: { domain: [...series], range: series.map((s) => seriesColours[s] ?? "#1f3a5f") }, sort: [...series] };
}

/** Rounded for the CSV: 1e-6 of a standard normal score or an autocorrelation is below anything a chart shows. */
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Normal QQ chart of each model's probability-integral transforms: a model that describes the returns puts its
 * points on the diagonal; points below it on the left and above it on the right are fatter tails in the data than
 * in the model. Both tails are kept rank by rank, the body thinned.
 */
export function calibrationQqChart(result: CalibrationResult, pits: ReadonlyMap<string, Float64Array>): ReportChart {
  const records: ChartRecord[] = result.models.flatMap((fit) => normalQuantilePoints(pits.get(fit.model) ?? new Float64Array(0)).map((p) => ({ series: fit.model, theoretical: round6(p.theoretical), observed: round6(p.observed) })));
  const extent = Math.max(1, ...records.map((r) => Math.abs(Number(r.theoretical))));
  return {
    name: "calibration-qq",
    title: "Normal QQ chart of each model's probability-integral transforms",
    caption: "Each return's probability under the fitted model, Φ⁻¹ of it, against the normal quantile of its rank. On the dashed diagonal the model's distribution matches the data; below it on the left and above it on the right, the data's tails are fatter than the model's.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Normal QQ chart of the probability-integral transforms of each fitted model.",
      width: 760,
      height: 360,
      data: { values: records },
      layer: [
        { data: { values: [{ x: -extent, y: -extent }, { x: extent, y: extent }] }, mark: { type: "line", strokeDash: [4, 4], color: "#9aa5b1" }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } },
        {
          mark: { type: "point", filled: true, size: 14, opacity: 0.7 },
          encoding: {
            x: { field: "theoretical", type: "quantitative", title: "normal quantile of the rank" },
            y: { field: "observed", type: "quantitative", title: "normal score of the PIT" },
            color: seriesColour(result.models.map((m) => m.model)),
            tooltip: [{ field: "series", type: "nominal", title: "model" }, { field: "theoretical", type: "quantitative", format: ".2f" }, { field: "observed", type: "quantitative", format: ".2f" }],
          },
        },
      ],
    },
  };
}

/**
 * The autocorrelation of squared returns in the data (bars) with the +-1.96/sqrt(n) band of independence, and
 * each model's own (lines): gbm and jump-diffusion have none, a GARCH's decays geometrically with alpha + beta.
 */
export function calibrationAcfChart(result: CalibrationResult): ReportChart {
  const observed = result.squaredReturnAutocorrelation.map((value, i) => ({ lag: i + 1, series: "observed", autocorrelation: round6(value) }));
  const implied = result.models.flatMap((fit) => (fit.squaredReturnAutocorrelation ?? []).map((value, i) => ({ lag: i + 1, series: fit.model, autocorrelation: round6(value) })));
  const records: ChartRecord[] = [...observed, ...implied];
  const band = 1.96 / Math.sqrt(result.data.returns);
  const x = { field: "lag", type: "quantitative", title: "lag (steps)" } as const;
  const y = { field: "autocorrelation", type: "quantitative", title: "autocorrelation of squared returns" } as const;
  return {
    name: "calibration-acf",
    title: "Volatility clustering: autocorrelation of squared returns",
    caption: `Bars: the data; dotted lines: ±1.96/√n (${band.toPrecision(2)}), where independent returns would stay. Lines: what each model implies (zero for gbm and jump-diffusion; a GARCH's decays by alpha + beta per step, drawn only where its fourth moment exists).`,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Autocorrelation of squared returns, observed and implied by each model.",
      width: 760,
      height: 260,
      data: { values: records },
      layer: [
        { transform: [{ filter: "datum.series === 'observed'" }], mark: { type: "bar", color: seriesColours.observed ?? "#1f2933", opacity: 0.75 }, encoding: { x, y, tooltip: [{ field: "lag", type: "quantitative" }, { field: "autocorrelation", type: "quantitative", format: ".3f" }] } },
        { transform: [{ filter: "datum.series !== 'observed'" }], mark: { type: "line", strokeWidth: 2 }, encoding: { x, y, color: seriesColour(result.models.map((m) => m.model)) } },
        { mark: { type: "rule", strokeDash: [2, 3], color: "#5f6b7a" }, encoding: { y: { datum: band } } },
        { mark: { type: "rule", strokeDash: [2, 3], color: "#5f6b7a" }, encoding: { y: { datum: -band } } },
      ],
    },
  };
}

/** Moves beyond each threshold, observed against each model's expected count. */
export function calibrationTailChart(result: CalibrationResult): ReportChart {
  const label = (threshold: number): string => `beyond ±${String(Math.round(threshold * 100))} %`;
  const records: ChartRecord[] = result.thresholds.flatMap((threshold, i) => [
    { threshold: label(threshold), series: "observed", count: result.observedMovesBeyond[i] ?? 0 },
    ...result.models.map((fit) => ({ threshold: label(threshold), series: fit.model, count: Math.round((fit.expectedMovesBeyond[i] ?? 0) * 100) / 100 })),
  ]);
  const series = ["observed", ...result.models.map((m) => m.model)];
  return {
    name: "calibration-tails",
    title: "Large moves: observed against each model's expectation",
    caption: "Steps whose simple move exceeds the threshold either way: the data's count, and the count each fitted model expects over the same steps (for the GARCH, summed over its filtered variance step by step).",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Counts of large moves, observed and expected by each model.",
      width: 760,
      height: 240,
      data: { values: records },
      mark: { type: "bar" },
      encoding: {
        x: { field: "threshold", type: "nominal", title: "", axis: { labelAngle: 0 }, sort: result.thresholds.map(label) },
        xOffset: { field: "series", sort: series },
        y: { field: "count", type: "quantitative", title: "steps" },
        color: seriesColour(series),
        tooltip: [{ field: "threshold", type: "nominal" }, { field: "series", type: "nominal" }, { field: "count", type: "quantitative", format: ",.1f" }],
      },
    },
  };
}

export function calibrationCharts(result: CalibrationResult, pits: ReadonlyMap<string, Float64Array>): ReportChart[] {
  return [calibrationQqChart(result, pits), calibrationTailChart(result), calibrationAcfChart(result)];
}
