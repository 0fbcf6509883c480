// A Playwright reporter that ends the run with one plain line CI can read:
//   playwright: N passed, N failed, N skipped
// Each test counts once, by its final outcome: flaky (passed on retry) counts as passed.
export default class SummaryReporter {
  onBegin(_config, suite) {
    this.suite = suite;
  }

  onEnd(result) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const test of this.suite.allTests()) {
      const outcome = test.outcome();
      if (outcome === "expected" || outcome === "flaky") passed++;
      else if (outcome === "skipped") skipped++;
      else failed++;
    }
    // A run that failed outside any test (web server, timeout of the whole run) still fails.
    if (result.status !== "passed" && failed === 0) failed = 1;
    console.log(`playwright: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }

  printsToStdio() {
    return false;
  }
}
