/**
 * Who may import whom (ARCHITECTURE.md). Run by `npm run lint:deps`, part of `npm test`.
 * Tests may reach into any module: they check its insides on purpose.
 */
const TESTS = ['\\.test\\.ts$', '^test/', '^bench/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-internals',
      comment:
        'Another module is imported through its public face (src/modules/<name>/index.ts) only, so a change inside it stays inside it.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: TESTS },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-into-module-internals',
      comment: 'The composition root, the CLI and the HTTP layer use a module through its public face too.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/modules/', '^src/db/schema\\.ts$', ...TESTS] },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-runtime-cycle',
      comment: 'A cycle of runtime imports makes load order matter; type-only imports are erased and may close a loop.',
      severity: 'error',
      from: { pathNot: TESTS },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'db-not-http',
      comment: 'The database layer knows nothing of HTTP.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'db-knows-tables-only',
      comment: "db/schema.ts assembles the modules' table types into Kysely's DB; nothing else of a module.",
      severity: 'error',
      from: { path: '^src/db/' },
      to: {
        path: '^src/modules/',
        pathNot: '^src/modules/[^/]+/[^/]+\\.table\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'crypto-is-a-leaf',
      comment: 'Crypto is pure: keys and bytes in, bytes out; it reads no tables and knows no routes.',
      severity: 'error',
      from: { path: '^src/crypto/', pathNot: TESTS },
      to: { path: '^src/(http|modules|cli)/' },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'The CLI is an entry point, like main.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/main\\.ts$', ...TESTS] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'web-is-separate',
      comment: 'The web app talks to the server over HTTP only; its types come from the OpenAPI document.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', 'web/dist', 'dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: {
      dot: { collapsePattern: '^(src/modules/[^/]+|src/[^/]+|node_modules/[^/]+)' },
    },
  },
};
