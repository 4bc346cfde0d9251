import { defineConfig } from 'vitest/config';
import { TEST_TIMEOUT_MS } from './test/helpers/timeouts.js';

/** Builds dist/ when it is older than its sources: the integration and browser tests run what it holds. */
const BUILD = ['test/helpers/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: TEST_TIMEOUT_MS,
    hookTimeout: TEST_TIMEOUT_MS,
    pool: 'forks',
    projects: [
      // Code on its own, in this process's memory and temporary folders: no build, no server.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Real hubs on loopback, the built CLI and SDK in child processes.
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: BUILD } },
      // Chromium against the built dashboard.
      { extends: true, test: { name: 'browser', include: ['test/e2e/**/*.test.ts'], globalSetup: BUILD } },
    ],
  },
});
