// npm run bench [-- <name> [options]]: runs one benchmark (the scale suite by default). Benchmarks need PostgreSQL
// (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/paydesk_bench, created if missing).
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  scale: () => import('./scale.bench.js'),
  search: () => import('./search.bench.js'),
  checkout: () => import('./checkout.bench.js'),
  export: () => import('./export.bench.js'),
  import: () => import('./import.bench.js'),
  list: () => import('./list.bench.js'),
  pause: () => import('./pause.bench.js'),
  webhooks: () => import('./webhooks.bench.js'),
  embedded: () => import('./embedded.bench.js'),
  'create-sql': () => import('./create-sql.bench.js'),
};

// Without a name (or with options only), the scale suite: the one that writes BENCHMARKS.md's tables.
const given = process.argv.slice(2);
const [name, ...args] = given[0] === undefined || given[0].startsWith('-') ? ['scale', ...given] : given;
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`);
  process.exit(2);
}
const bench = await load();
await bench.run(args);
