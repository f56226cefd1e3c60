// What `npm run dev` and `npm run scale` share: run in the foreground until Ctrl-C, then stop everything once.

/** On SIGINT/SIGTERM: `stop()` once, say where the data stayed, exit. */
export function stopOnSignal(stop: () => Promise<void>, dataDir: string): void {
  let stopping = false;
  const onSignal = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stop();
    console.log(`Stopped. Data is kept in ${dataDir}.`);
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** The launcher's own failure: its message only (it names the step and the log to read), exit 1. */
export function runForeground(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
