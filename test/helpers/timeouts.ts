/** How long one test or hook may run before the test runner fails it (tests that need longer say so). */
export const TEST_TIMEOUT_MS = 20_000;

/**
 * How long the browser waits for an element or a page: well inside the test's own timeout, so a missing
 * element fails with its locator in the message rather than as a test that timed out.
 */
export const BROWSER_TIMEOUT_MS = TEST_TIMEOUT_MS / 2;
