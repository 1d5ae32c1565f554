/**
 * Progress on stderr: a bar with paths/s and ETA redrawn in place on a terminal; on a pipe or in CI, a plain
 * line at each tenth so logs stay readable. Never on stdout, which carries results (--json).
 */
export function progressReporter(stream: NodeJS.WriteStream, label: string): { update: (done: number, total: number) => void; finish: () => void } {
  const started = performance.now();
  let lastTenth = -1;
  let lastDraw = 0;
  const line = (done: number, total: number): string => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (total - done) / rate : Number.NaN;
    const width = 24;
    const filled = Math.round((done / total) * width);
    return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} paths  ${rate.toFixed(0)} paths/s  ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)}s` : "-"}`;
  };
  return {
    update(done, total) {
      if (stream.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        stream.write(`\r${line(done, total)}`);
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${line(done, total)}\n`);
      }
    },
    finish() {
      if (stream.isTTY) stream.write("\n");
    },
  };
}
