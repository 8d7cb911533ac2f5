import { buildServer, serverBuildStaleReason } from './server-build.js';
import { buildWeb, webBuildStaleReason } from './web-build.js';

// `npm start` runs this first: the server and the dashboard are rebuilt only when their sources are
// newer than dist/ and web/dist. A failed dashboard build does not keep the API from starting: the
// pages then answer the previous build, or a 503 that says how to build.
const serverReason = serverBuildStaleReason();
if (serverReason) {
  process.stdout.write(`Building the server (${serverReason})…\n`);
  buildServer();
}
const webReason = webBuildStaleReason();
if (webReason) {
  process.stdout.write(`Building the dashboard (${webReason})…\n`);
  try {
    buildWeb();
  } catch (error) {
    process.stderr.write(`The dashboard could not be built: ${(error as Error).message}. The API starts anyway.\n`);
  }
}
