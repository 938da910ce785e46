// Progress of long work on the terminal (stderr): a line redrawn in place on a TTY, or a plain line at most every
// few seconds when stderr is a file or pipe, so logs stay readable. Silent when STRATUM_PROGRESS=0.
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Progress {
  if (env['STRATUM_PROGRESS'] === '0') return { update() {}, done() {} };
  const tty = stream.isTTY === true;
  // Every update as a line (for tests and log scrapers).
  const everyLine = env['STRATUM_PROGRESS_LINES'] === '1';
  let last = 0;
  let drawn = false;
  const intervalMs = tty ? 100 : 3000;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (!everyLine && now - last < intervalMs && done < total) return;
      last = now;
      const pct = total > 0 ? ` ${Math.floor((100 * done) / total)}%` : '';
      const text = `${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${pct}`;
      if (tty) {
        stream.write(`\r\x1b[2K${text}`);
        drawn = true;
      } else if (everyLine || total >= 10000) {
        // Only large jobs print progress lines to logs.
        stream.write(`${text}\n`);
      }
    },
    done() {
      if (tty && drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
