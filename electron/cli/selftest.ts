/** `switchboard selftest`: the durability self-test (electron/hub/selftest), with its figures on the terminal. */
import { SELFTEST_KILLS, defaultSwitchboardCommand, runSelftest, selftestPassed } from '../hub/index.js';
import { CliError } from './hub-client.js';

export async function selftest(options: { messages?: string; json?: boolean }): Promise<void> {
  const messages = Number(options.messages ?? '2000');
  if (!Number.isInteger(messages) || messages < 100 || messages > 1_000_000) throw new CliError('--messages must be a whole number from 100 to 1000000');
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  say(`Switchboard self-test: ${messages} messages to a scratch hub killed ${SELFTEST_KILLS} times on the way…`);
  let result;
  try {
    result = await runSelftest({
      messages,
      command: defaultSwitchboardCommand(),
      onKilled: (acked) => say(`killed the hub (SIGKILL) after ${acked} acknowledged messages; starting it again`),
    });
  } catch (error) {
    throw new CliError(`the self-test could not run: ${(error as Error).message}`);
  }
  const failed = !selftestPassed(result);
  say(
    `${failed ? 'FAILED' : 'passed'}: ${result.acked} acknowledged, ${result.found} found, ${result.lost} lost, ${result.duplicates} duplicated, ` +
      `${result.gaps} gaps in seq, ${result.kills} kills, integrity ${result.integrity}, ${result.seconds} s`,
  );
  const { acked, found, lost, duplicates, kills, integrity, seconds } = result;
  if (options.json === true) say(JSON.stringify({ acked, found, lost, duplicates, kills, integrity, seconds }));
  if (failed) throw new CliError('the self-test found acknowledged messages missing, duplicated or out of sequence (details above)');
}
