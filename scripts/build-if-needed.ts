import { buildWeb, webBuildStaleReason } from './web-build.js';

// `npm start` runs this first: the dashboard is rebuilt only when its sources are newer than web/dist.
// A failed build does not keep the API from starting: the pages then answer the previous build, or a 503
// that says how to build.
const reason = webBuildStaleReason();
if (reason) {
  process.stdout.write(`Building the dashboard (${reason})…\n`);
  try {
    buildWeb();
  } catch (error) {
    process.stderr.write(`The dashboard could not be built: ${(error as Error).message}. The API starts anyway.\n`);
  }
}
