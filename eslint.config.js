// Lint rules, including which packages each folder may use; which folder may import which is
// .dependency-cruiser.cjs (see CONTRIBUTING.md, "Layers").
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** A no-restricted-imports rule naming what a layer must not import and why. */
function layer(message, { paths = [], patterns = [] }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.map((name) => ({ name, message })),
        patterns: patterns.map((group) => ({ group: [group], message })),
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      // Typed linting: each file is checked with the tsconfig that includes it (tsconfig.node.json or
      // tsconfig.web.json through tsconfig.json's references); the launchers in bin/ have no tsconfig.
      parserOptions: { projectService: { allowDefaultProject: ['bin/*.js', 'bin/*.d.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An async server loses errors and ordering to a promise nobody awaits, or to one passed where a
      // plain callback is expected (an event listener, a timer, a route callback that returns void).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'no-console': 'error',
    },
  },
  {
    // ESLint's and dependency-cruiser's own configs are not part of Switchboard's code.
    files: ['eslint.config.js', '.dependency-cruiser.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['shared/**/*.ts'],
    rules: layer('shared/ is pure TypeScript used by hub, SDK and GUI: no Node built-ins, no Electron, no DOM-only or server packages.', {
      paths: [...nodeBuiltins, 'electron', 'ws', 'better-sqlite3', 'react'],
      patterns: ['**/electron/**', '**/renderer/**'],
    }),
  },
  {
    files: [
      'electron/hub/**/*.ts',
      'electron/common/**/*.ts',
      'electron/mcp/**/*.ts',
      'electron/cli/**/*.ts',
      'electron/shell/**/*.ts',
      'sdk/**/*.ts',
      'examples/**/*.ts',
    ],
    rules: layer('The hub, the CLI, the shell logic, the SDK and the examples run under plain Node: never import Electron or the renderer.', {
      paths: ['electron'],
      patterns: ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**'],
    }),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.cts'],
    rules: layer('The Electron shell hosts the hub and loads the window from it: never import the renderer.', { patterns: ['**/renderer/**'] }),
  },
  {
    // A sandboxed preload is a CommonJS script: `import x = require('electron')` is how TypeScript writes that.
    files: ['electron/preload/**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: layer('The renderer runs in a browser: it talks to the hub over WebSocket/HTTP and imports only shared/ and browser packages.', {
      paths: [...nodeBuiltins, 'electron', 'ws', 'better-sqlite3'],
      patterns: ['**/electron/**'],
    }),
  },
  {
    // The rules of hooks, and what the React Compiler's checks find: state set during render or in an
    // effect's body, refs read while rendering, values mutated after React was given them.
    files: ['renderer/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'examples/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
