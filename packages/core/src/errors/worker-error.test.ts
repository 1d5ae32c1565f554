import { MstressError } from "./mstress-error.js";
import { describe, expect, it } from "vitest";
import { errorOfRecord, isWorkerErrorRecord, serializeError } from "./worker-error.js";

// postMessage uses the structured clone algorithm; structuredClone is the same algorithm, in-process.
describe("errors across the worker boundary", () => {
  it("an MstressError sent as is loses its code; sent as a record it keeps it", () => {
    const error = new MstressError("E_BAD_INPUT", "market.step: expected a positive duration");
    expect((structuredClone(error) as { code?: unknown }).code).toBeUndefined();
    const record = structuredClone(serializeError(error));
    expect(isWorkerErrorRecord(record)).toBe(true);
    const back = errorOfRecord(record);
    expect(back).toBeInstanceOf(MstressError);
    expect(back).toMatchObject({ code: "E_BAD_INPUT" });
    expect(back.message).toBe("market.step: expected a positive duration");
  });

  it("any other error keeps its name, message and the worker's stack, and is not taken for bad input", () => {
    const error = new RangeError("outcomes: paths must be a positive integer, got 0");
    const back = errorOfRecord(structuredClone(serializeError(error)));
    expect(back).not.toBeInstanceOf(MstressError);
    expect(back.name).toBe("RangeError");
    expect(back.message).toBe(error.message);
    expect(back.stack).toContain("worker-error.test.ts");
    expect(errorOfRecord(serializeError("a string")).message).toBe("a string");
    expect(isWorkerErrorRecord(new Error("x"))).toBe(false);
  });

  it("a file system error keeps its errno, so the main thread reports a full disk as a write error", () => {
    const error = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    expect((structuredClone(error) as { code?: unknown }).code).toBeUndefined();
    const back: NodeJS.ErrnoException = errorOfRecord(structuredClone(serializeError(error)), "the Parquet thread");
    expect(back).not.toBeInstanceOf(MstressError);
    expect(back.code).toBe("ENOSPC");
    expect(back.stack).toContain("(in the Parquet thread)");
    expect(serializeError(new MstressError("E_INVARIANT", "x")).errno).toBeNull();
  });
});
