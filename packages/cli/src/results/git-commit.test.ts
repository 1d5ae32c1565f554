import { describe, expect, it } from "vitest";
import { gitCommit, gitCommitLater } from "./git-commit.js";

describe("gitCommit and gitCommitLater", () => {
  it("give the same answer: the checkout's 40-hex commit here (null outside a checkout)", async () => {
    const now = gitCommit();
    expect(await gitCommitLater()).toBe(now);
    if (now !== null) expect(now).toMatch(/^[0-9a-f]{40}$/);
  });
});
