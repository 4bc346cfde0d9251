import { describe, expect, it } from 'vitest';
import { pidFromLsof } from '../../electron/hub/peer-process/lsof-output.js';
import { pidFromNetstat, processFromQuery } from '../../electron/hub/peer-process/netstat-output.js';

/** The hub at port 4000; the agent's end at port 52345. */
const ends = (client: string, hub: string) => ({ remote: { address: client, port: 52345 }, local: { address: hub, port: 4000 } });

describe('lsof output (macOS)', () => {
  const LSOF = [
    'p311',
    'f23',
    'n127.0.0.1:4000->127.0.0.1:52345',
    'p4242',
    'f5',
    'n127.0.0.1:52345->127.0.0.1:4000',
    'p5151',
    'f7',
    'n[::1]:52345->[::1]:4000',
    '',
  ].join('\n');

  it('finds the process holding the client end, not the hub holding the other end', () => {
    expect([pidFromLsof(LSOF, ends('127.0.0.1', '127.0.0.1')), pidFromLsof(LSOF, ends('::ffff:127.0.0.1', '::ffff:127.0.0.1'))]).toEqual([4242, 4242]);
  });

  it('finds an IPv6 loopback connection, and nothing for one no process listed holds', () => {
    expect([pidFromLsof(LSOF, ends('::1', '::1')), pidFromLsof('', ends('127.0.0.1', '127.0.0.1'))]).toEqual([5151, undefined]);
  });
});

describe('netstat output (Windows)', () => {
  const NETSTAT = [
    '',
    'Active Connections',
    '',
    '  Proto  Local Address          Foreign Address        State           PID',
    '  TCP    127.0.0.1:4000         0.0.0.0:0              LISTENING       311',
    '  TCP    127.0.0.1:4000         127.0.0.1:52345        ESTABLISHED     311',
    '  TCP    127.0.0.1:52345        127.0.0.1:4000         ESTABLISHED     4242',
    '  TCP    [::1]:52345            [::1]:4000             ESTABLISHED     5151',
    '  UDP    0.0.0.0:5353           *:*                                    999',
  ].join('\r\n');

  it('finds the pid owning the client end of an IPv4 or IPv6 loopback connection', () => {
    expect([pidFromNetstat(NETSTAT, ends('127.0.0.1', '127.0.0.1')), pidFromNetstat(NETSTAT, ends('::1', '::1'))]).toEqual([4242, 5151]);
  });

  it('finds nothing for a connection no row lists', () => {
    expect(pidFromNetstat(NETSTAT, ends('127.0.0.2', '127.0.0.1'))).toBeUndefined();
  });

  it('reads the executable and command line from the process query, and neither when they were not readable', () => {
    expect([processFromQuery('C:\\Python312\\python.exe\r\n"C:\\Python312\\python.exe" planner.py --fast\r\n'), processFromQuery('\r\n\r\n')]).toEqual([
      { executable: 'C:\\Python312\\python.exe', command: '"C:\\Python312\\python.exe" planner.py --fast' },
      { executable: null, command: '' },
    ]);
  });
});
