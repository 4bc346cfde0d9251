/** Stops an npm script with one sentence when the Node running it is older than 22 (npm puts the bundled Node 22 first on a script's PATH when it is installed). */
import { nodeTooOldMessage, REQUIRED_MAJOR } from './node-runtime.js';

if (Number(process.versions.node.split('.')[0]) < REQUIRED_MAJOR) {
  process.stderr.write(`${nodeTooOldMessage(process.versions.node)}\n`);
  process.exit(1);
}
