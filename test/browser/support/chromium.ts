import fs from 'node:fs';

/** Debian's chromium (apt-get install chromium); Playwright never downloads a browser here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const chromiumMissing = !fs.existsSync(CHROMIUM_PATH);
