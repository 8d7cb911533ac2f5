import closeWithGrace from 'close-with-grace';
import { ConfigError, parseConfig } from './config.js';
import { createPaydesk } from './app.js';
import { KeyringError } from './crypto/keyring.js';
import { ensureConfiguredAdmin, prepareFirstStart, type AdminAccountReport } from './cli/first-start.js';
import { removeServerAddress, writeServerAddress } from './cli/server-address.js';
import { DatabaseLockedError } from './db/database.js';

async function main(): Promise<void> {
  const config = parseConfig();
  const paydesk = await createPaydesk(config);
  const firstStart = await prepareFirstStart(paydesk.ctx);
  const admin = firstStart?.admin ?? (await ensureConfiguredAdmin(paydesk.ctx));

  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) paydesk.app.log.error({ err }, 'shutting down after an error');
    else paydesk.app.log.info({ signal }, 'shutting down');
    if (!config.databaseUrl) removeServerAddress(config.dataDir);
    await paydesk.close();
  });

  await paydesk.app.listen({ port: config.port, host: config.host });
  const address = paydesk.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  // With the embedded database, `npm run paydesk -- keys …` asks this server (it holds the database).
  if (!config.databaseUrl) writeServerAddress(config.dataDir, `http://${localHost(config.host)}:${port}`);
  const lines = [
    '',
    `  Paydesk is running at ${base}  (database: ${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`})`,
    `  Dashboard: ${base}/`,
    `  API docs:  ${base}/api/docs`,
  ];
  if (firstStart) {
    lines.push(
      `  Created brand "${firstStart.brandName}" (${firstStart.brandId}) with ${firstStart.demoCustomers} demo customers${firstStart.demoCustomers > 0 ? ', their payments, two payment links (/pay/yoga-monthly, /pay/community-kitchen), an open invoice, three site accounts and two orders' : ''}.`,
    );
    if (firstStart.newApiKey) {
      lines.push(
        `  API key (owner of this brand), shown only this once:`,
        ``,
        `      export PAYDESK_API_KEY=${firstStart.newApiKey}`,
        ``,
        `  Try:  curl -H "Authorization: Bearer $PAYDESK_API_KEY" ${base}/api/v1/customers`,
      );
    }
  }
  if (admin) lines.push(...adminLines(admin, base));
  process.stdout.write(lines.join('\n') + '\n\n');
}

/** How to sign in to the dashboard as the owner; a password Paydesk chose is shown this once. */
function adminLines(admin: AdminAccountReport, base: string): string[] {
  if (!admin.newPassword) {
    return [
      `  Staff sign-in (owner): ${admin.email}${admin.passwordReset ? ' (password set from PAYDESK_ADMIN_PASSWORD; its sessions were signed out)' : ''}`,
    ];
  }
  return [
    `  Staff sign-in (owner of this brand), password shown only this once:`,
    ``,
    `      email:    ${admin.email}`,
    `      password: ${admin.newPassword}`,
    ``,
    `  Sign in: curl -c cookies.txt -H 'Content-Type: application/json' -d '{"email":"${admin.email}","password":"…"}' ${base}/api/v1/session`,
  ];
}

/** An address a process on this machine reaches the server at. */
function localHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof KeyringError) {
    process.stderr.write(`Paydesk cannot start: ${error.message}\n`);
  } else if (error instanceof DatabaseLockedError) {
    process.stderr.write(
      `Paydesk cannot start: ${error.message}. Is another server or an \`npm run paydesk\` command running on it? ` +
        'Stop it, or give this one another PAYDESK_DATA_DIR.\n',
    );
  } else {
    process.stderr.write(
      `Paydesk cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
