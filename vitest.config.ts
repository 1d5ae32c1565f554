import { defineConfig } from "vitest/config";

// Tests import sibling packages through the "@mstress/source" export condition, i.e. their TypeScript source,
// so `pnpm test` never runs against a stale build. Tests that spawn the CLI binary use the build from `pnpm build`.
export default defineConfig({
  resolve: { conditions: ["@mstress/source"] },
  ssr: { resolve: { conditions: ["@mstress/source"], externalConditions: ["@mstress/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts"],
    testTimeout: 30_000,
    // Several files start the CLI a few times in beforeAll; on a loaded machine that can pass vitest's 10 s default.
    hookTimeout: 60_000,
  },
});
