// Which folder may import which: an allow-list, checked by `npm run lint` (see CONTRIBUTING.md, "Layers").
// Anything not allowed below is an error, as is any import cycle. npm packages and Node built-ins are
// allowed here; which of them a folder may use is eslint's part (eslint.config.js).

/** An allow-list entry: code under `from` may import what is under each of `to`. */
const may = (from, ...to) => ({ from: { path: `^${from}/` }, to: { path: `^(${to.join('|')})` } });

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle, type-only ones included: split the module or move the shared part down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'ws-below-handlers',
      comment: 'The WebSocket layer reaches frame handlers through the router and connection hooks, never by import.',
      severity: 'error',
      from: { path: '^electron/hub/ws/' },
      to: { path: '^electron/hub/handlers/' },
    },
    {
      name: 'nats-behind-federation',
      comment: 'Only the federation module speaks NATS, so a hub without federation never loads the client.',
      severity: 'error',
      from: { pathNot: '^electron/hub/federation/' },
      to: { path: '(^|/)node_modules/@nats-io/' },
    },
    {
      name: 'federation-loaded-lazily',
      comment: 'The hub reaches the federation through a dynamic import of its front door (or a type-only import); its settings schema has no NATS in it.',
      severity: 'error',
      from: { pathNot: '^(electron/hub/federation/|test/)' },
      to: { path: '^electron/hub/federation/(?!settings\\.ts$)', dynamic: false, dependencyTypesNot: ['type-only'] },
    },
  ],
  allowedSeverity: 'error',
  allowed: [
    { from: {}, to: { dependencyTypes: ['core'] } },
    { from: {}, to: { path: '(^|/)node_modules/' } },
    // Inside one folder anything goes; electron/ counts as one folder per child.
    { from: { path: '^(electron/[^/]+|shared|renderer|sdk|scripts|examples|test)/' }, to: { path: '^$1/' } },
    may('renderer', 'shared/'),
    may('electron/preload', 'shared/'),
    may('electron/common', 'shared/'),
    may('sdk', 'shared/', 'electron/common/'),
    may('examples', 'shared/', 'sdk/'),
    may('electron/mcp', 'shared/', 'electron/common/'),
    may('electron/hub', 'shared/', 'electron/common/', 'electron/mcp/index\\.ts$'),
    may('electron/cli', 'shared/', 'electron/common/', 'electron/hub/index\\.ts$', 'electron/mcp/index\\.ts$'),
    may('electron/shell', 'shared/', 'electron/common/', 'electron/hub/index\\.ts$'),
    may('electron/main', 'shared/', 'electron/common/', 'electron/shell/', 'electron/cli/run\\.ts$'),
    may('scripts', 'shared/', 'electron/common/', 'sdk/', 'electron/hub/index\\.ts$'),
    // Tests reach any module they test.
    may('test', 'shared/', 'renderer/', 'sdk/', 'examples/', 'scripts/', 'electron/', 'bin/'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|release|test-output)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.cts', '.js', '.mjs', '.cjs'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
