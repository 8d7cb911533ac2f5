import { runCli } from './cli.js';

// `npm run paydesk -- …` (or `node dist/src/cli/paydesk.js …`): the first Ctrl-C stops cleanly after
// the current batch (and says how to resume); a second one quits at once, which loses nothing either
// (each batch is a transaction).
const controller = new AbortController();
let interrupts = 0;
const onSignal = () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const io = { env: process.env, out: process.stdout, err: process.stderr, signal: controller.signal };
runCli(process.argv.slice(2), io)
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
