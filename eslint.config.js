// ESLint flat config: typescript-eslint's type-aware rules, the package dependency direction, and the
// determinism ban (no Math.random, no clock reads) in the simulation packages.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Which of our packages each package may import: core <- sim, core <- report, all <- cli.
const allowedInternalImports = {
  core: [],
  sim: ["core"],
  report: ["core"],
  cli: ["core", "sim", "report"],
};
const ourPackages = Object.keys(allowedInternalImports);

const forbidden = (pkg, allowed) => ourPackages.filter((p) => p !== pkg && !allowed.includes(p));

const directionRules = Object.entries(allowedInternalImports).map(([pkg, allowed]) => ({
  files: [`packages/${pkg}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          ...(forbidden(pkg, allowed).length === 0
            ? []
            : [
                {
                  group: forbidden(pkg, allowed).map((p) => `@mstress/${p}`),
                  message: `@mstress/${pkg} may import only ${allowed.length ? allowed.map((p) => "@mstress/" + p).join(", ") : "no other @mstress package"} (dependencies point one way: core <- sim, core <- report, all <- cli).`,
                },
              ]),
          {
            group: ourPackages.filter((p) => p !== pkg).map((p) => `**/${p}/src/**`),
            message: "Import another package by its name (@mstress/...), never by a path into its source.",
          },
        ],
      },
    ],
  },
}));

// Determinism: a simulation result must depend only on (scenario, seed, version). Randomness comes in as a
// seeded stream and time as data; clock reads belong to the CLI (progress bars, wall time in the manifest).
const determinismBan = {
  files: ["packages/core/src/**/*.ts", "packages/sim/src/**/*.ts"],
  ignores: ["packages/sim/src/pool/**"],
  rules: {
    "no-restricted-properties": [
      "error",
      { object: "Math", property: "random", message: "Use a seeded stream passed in as a parameter (determinism)." },
      { object: "Date", property: "now", message: "No clock reads in core or sim (determinism): take time as data." },
      { object: "performance", property: "now", message: "No clock reads in core or sim (determinism)." },
      { object: "process", property: "hrtime", message: "No clock reads in core or sim (determinism)." },
    ],
    "no-restricted-syntax": [
      "error",
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "No clock reads in core or sim (determinism): `new Date()` reads the clock." },
      { selector: "CallExpression[callee.name='Date']", message: "No clock reads in core or sim (determinism)." },
    ],
  },
};

// core is pure: no file system, no worker threads, no charting.
const corePurity = {
  files: ["packages/core/src/**/*.ts"],
  // Tests (and their support files) may read the shipped venue and scenario files, and fixtures, from disk.
  ignores: ["packages/core/src/**/*.test.ts", "packages/core/src/**/*.test-support.ts"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        paths: ["fs", "node:fs", "fs/promises", "node:fs/promises", "worker_threads", "node:worker_threads", "piscina", "vega", "vega-lite", "vega-embed", "arquero"].map((name) => ({
          name,
          message: "core holds pure domain code: no file system, worker or charting modules (read files in cli, fan out in sim).",
        })),
        patterns: [{ group: ["@mstress/*"], message: "@mstress/core may import no other @mstress package." }],
      },
    ],
  },
};

// The simulation's code runs in worker threads, which should start fast: it takes core's values from
// @mstress/core/engine, which leaves out the scenario and venue schemas (zod, yaml). Types may come from either.
const simEngineImports = {
  files: ["packages/sim/src/**/*.ts"],
  ignores: ["packages/sim/src/**/*.test.ts"],
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      { paths: [{ name: "@mstress/core", allowTypeImports: true, message: "sim takes core's values from @mstress/core/engine, so workers do not load the schemas (zod, yaml)." }] },
    ],
  },
};

// A command is an entry point: what two commands share (flag parsers, scenario loading, results files) lives in its
// own module, so no command imports another.
const commandsStandAlone = {
  files: ["packages/cli/src/commands/*.ts"],
  ignores: ["packages/cli/src/commands/*.test.ts", "packages/cli/src/commands/*.test-support.ts"],
  rules: {
    "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ group: ["./*-command.js"], message: "Commands do not import each other: move what they share to options/, scenario/ or results/." }] }],
  },
};

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "results/**", "coverage/**", "test-artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["*.js", "*.ts", "bench/*.mjs"], defaultProject: "tsconfig.check.json" }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  ...directionRules,
  determinismBan,
  corePurity,
  simEngineImports,
  commandsStandAlone,
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The benchmark script runs under plain Node and prints its figures.
    files: ["bench/**/*.mjs"],
    languageOptions: { globals: { console: "readonly", process: "readonly", performance: "readonly", URL: "readonly" } },
  },
);
