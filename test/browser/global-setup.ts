import { buildWeb, webBuildStaleReason } from '../../scripts/web-build.js';
import { CHROMIUM_PATH, chromiumMissing } from './support/chromium.js';

/**
 * Browser tests need Debian's chromium and a current build of the dashboard. Without chromium they are
 * skipped and the run says so, like the PostgreSQL tests; PAYDESK_TEST_STRICT=1 (CI) makes that a failure.
 * The build runs once here, not per test file, and only when web/dist is older than its sources.
 */
export default function setup(): void {
  if (chromiumMissing) {
    const message = `Browser tests SKIPPED: ${CHROMIUM_PATH} is not installed.`;
    if (process.env.PAYDESK_TEST_STRICT === '1') throw new Error(`${message} PAYDESK_TEST_STRICT=1 forbids skipping.`);
    process.stdout.write(`\n  ${message}\n  Install it with: apt-get install -y chromium\n\n`);
    return;
  }
  const reason = webBuildStaleReason();
  if (reason) {
    process.stdout.write(`\n  Building the dashboard for the browser tests (${reason})…\n`);
    buildWeb();
  }
}
