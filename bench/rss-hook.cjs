// Preloaded (`node --require`) into the CLI and the server by the benchmark: reports the peak RSS
// on exit, on stderr, where the benchmark reads it.
process.on('exit', () => {
  try {
    require('fs').writeSync(2, `\nMLREADY_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
  } catch {}
});
