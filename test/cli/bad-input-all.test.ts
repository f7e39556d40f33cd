/**
 * Bad input across every command and flag (issue 9): wrong values, malformed configuration
 * files, session logs that are not session logs. Each is refused with one line naming the
 * input, the usage hint, exit code 2, nothing on stdout and never a stack trace. Complements
 * bad-input.test.ts and fleet-bad-input.test.ts (the monitor's and the fleet flags' basics).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRefused, runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-bad-all-'));
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
mkdirSync(path.join(dir, 'a-folder'));
const FOLDER = path.join(dir, 'a-folder');

const START =
  '{"v":1,"t":"2026-11-27T00:00:00.000Z","type":"session.start","version":"0.1.0","node":"v20","platform":"linux-x64","mode":"plain","targets":[],"options":{}}';
const LOGS = {
  empty: file('empty.ndjson', ''),
  binary: file('binary.ndjson', Buffer.from([0x00, 0x9f, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0x01, 0x02])),
  truncated: file('truncated.ndjson', START.slice(0, 60)),
  newer: file('newer.ndjson', `${START.replace('"v":1', '"v":7')}\n`),
  text: file('text.ndjson', 'this is\nnot a log\n'),
  jsonNotEvents: file('json.ndjson', '{"hello":"world"}\n[1,2,3]\n'),
};

/** The monitor with a target that answers nothing and no files: only the flag under test matters. */
const M = (...args: string[]) => [
  '--no-config',
  '--no-log',
  '--duration',
  '1s',
  '--only',
  '--target',
  '127.0.0.1:9',
  ...args,
];

function refused(args: string[], why: RegExp): Promise<void> {
  // An empty state folder: no session log for `report` or `replay` to fall back on.
  return expectRefused(args, why, { env: { ...process.env, XDG_STATE_HOME: path.join(dir, 'no-state') } });
}

describe('every monitor flag with a wrong value', () => {
  it.concurrent.each([
    [M('--target', ''), /--target: invalid target "": empty/],
    [M('--target', 'gcr.io:0'), /--target: invalid target "gcr.io:0": port 0 is out of range/],
    [M('--target', 'gcr.io:-1'), /--target: invalid target "gcr.io:-1"/],
    [M('--target', 'gcr.io:port'), /--target: invalid target "gcr.io:port": port "port" is not a number/],
    [M('--target', '[::1'), /--target: invalid target "\[::1"/],
    [M('--target', 'https://'), /--target: invalid target "https:\/\/"/],
    [M('--target', 'ftp://gcr.io'), /--target: invalid target "ftp:\/\/gcr.io"/],
    [
      M('--target', 'gcr.io/Proj/App'),
      /--target: invalid image reference "gcr.io\/Proj\/App": repository must be lower-case/,
    ],
    [M('--repo', ''), /--repo: the image is empty/],
    [M('--repo', 'gcr.io/a//b'), /--repo: invalid image reference "gcr.io\/a\/\/b"/],
    [M('--repo', 'gcr.io/app:bad tag'), /--repo: invalid image reference/],
    [M('--resolve', 'a:b:c'), /--resolve: "a:b:c" is not HOST:PORT:ADDRESS/],
    [M('--resolve', 'gcr.io:99999:1.2.3.4'), /--resolve: port 99999 in "gcr.io:99999:1.2.3.4" is out of range/],
    [M('--resolve', 'gcr.io:443:'), /--resolve: "gcr.io:443:" is not HOST:PORT:ADDRESS/],
    [M('--resolve', 'gcr.io:443:gcr.io'), /--resolve: "gcr.io" in "gcr.io:443:gcr.io" is not an IP address/],
    [M('--dns-server', ''), /--dns-server: "" is not IP or IP:PORT/],
    [M('--dns-server', '1.2.3.4:0'), /--dns-server: "1.2.3.4:0" is not IP or IP:PORT/],
    [M('--dns-server', '1.2.3.4:99999'), /--dns-server: "1.2.3.4:99999" is not IP or IP:PORT/],
    [M('--ca-file', FOLDER), new RegExp(`--ca-file ${FOLDER}: cannot read it \\(EISDIR\\)`)],
    [M('--ca-file', '/dev/null'), /--ca-file \/dev\/null: no PEM certificate in it/],
    [M('--ca-file', LOGS.binary), /--ca-file .*binary\.ndjson: no PEM certificate in it/],
    [M('--interval', ''), /--interval: "" is not a duration/],
    [M('--interval', 'abc'), /--interval: "abc" is not a duration/],
    [M('--interval', '1e3s'), /--interval: "1e3s" is not a duration/],
    [M('--interval', '10 s'), /--interval: "10 s" is not a duration/],
    [M('--interval', '50ms'), /--interval: 50ms is out of range \(100ms to 1h\)/],
    [M('--interval', '999999999h'), /--interval: 999999999h is out of range/],
    [M('--timeout', '0s'), /--timeout: 0s is out of range/],
    [M('--timeout', '-1s'), /--timeout: "-1s" is not a duration/],
    [M('--timeout', '2h'), /--timeout: 2h is out of range \(100ms to 10m\)/],
    [M('--duration', '0s'), /--duration: 0s is out of range/],
    [M('--duration', '-3s'), /--duration: "-3s" is not a duration/],
    [M('--duration', 'forever'), /--duration: "forever" is not a duration/],
    [M('--duration', '9999d'), /--duration: 9999d is out of range/],
    [M('--rounds', '-1'), /--rounds: "-1" is not a whole number/],
    [M('--rounds', '1.5'), /--rounds: "1.5" is not a whole number/],
    [M('--rounds', '1e3'), /--rounds: "1e3" is not a whole number/],
    [M('--rounds', '99999999999999999999'), /--rounds: "99999999999999999999" is not a whole number/],
    [M('--log', ''), /--log: the file name is empty/],
    [M('--auth-interval', '0s'), /--auth-interval: 0s is out of range \(1s to 24h\)/],
    [M('--auth-interval', '25h'), /--auth-interval: 25h is out of range/],
    [M('--auth-interval', 'soon'), /--auth-interval: "soon" is not a duration/],
    [M('--proxy', ''), /--proxy: "" is not a proxy URL/],
    [M('--proxy', 'not a url'), /--proxy: "not a url" is not a proxy URL/],
    [M('--proxy', 'socks5://p:1080'), /--proxy: socks5:\/\/ proxies are not supported/],
    [M('--proxy', 'https://p:3128'), /--proxy: https:\/\/ proxies are not supported/],
    [M('--proxy', 'http://:80'), /--proxy: "http:\/\/:80" is not a proxy URL/],
    [M('--compare-direct', '--no-proxy'), /--compare-direct: no proxy applies to any target/],
    [M('--metrics', '-1'), /--metrics: "-1" is not \[ADDRESS:\]PORT/],
    [M('--metrics', '127.0.0.1:'), /--metrics: "127.0.0.1:" is not \[ADDRESS:\]PORT/],
    [M('--metrics', '::1:9464'), /--metrics: "::1:9464" is not \[ADDRESS:\]PORT/],
    [M('--config', FOLDER), new RegExp(`${FOLDER}: cannot read the configuration file \\(EISDIR\\)`)],
    [M('--demo', '--', 'docker', 'push', 'gcr.io/p/a:1'), /--demo brings its own push/],
    [M('--bogus=1'), /unknown option '--bogus=1'/],
    [M('-Z'), /unknown option '-Z'/],
    [M('--intervl', '2s'), /unknown option '--intervl'[\s\S]*/],
    [['--no-config', '--only'], /--only: no target left to probe/],
    [M('--json', '--plain'), /cannot be used with option/],
  ])('%j', async (args, why) => refused(args, why));
});

describe("the wrapper's own flags", () => {
  it.concurrent.each([
    [M('--daemon-log', '', '--', 'true'), /--daemon-log: the file name is empty/],
    [M('--daemon-log', FOLDER, '--', 'true'), /--daemon-log: cannot read ".*a-folder": it is a directory/],
    [M('--daemon-log', path.join(dir, 'missing.log'), '--', 'true'), /--daemon-log: cannot read ".*missing\.log"/],
  ])('%j', async (args, why) => refused(args, why));
});

describe('every subcommand with wrong arguments', () => {
  it.concurrent.each([
    [['push'], /missing required argument 'image'/],
    [['push', 'a', 'b'], /too many arguments for 'push'/],
    [['discover', '--wait', ''], /--wait: "" is not a duration/],
    [['discover', '--wait', '-1s'], /--wait: "-1s" is not a duration/],
    [['discover', '--bogus'], /unknown option '--bogus'/],
    [['config', 'bogus'], /unknown command 'bogus'/],
    [['config', 'print', '--bogus'], /unknown option '--bogus'/],
    [['completion'], /missing required argument 'shell'/],
    [['completion', 'fish'], /completion: "fish" is not a supported shell/],
    [['doctor', 'extra'], /too many arguments for 'doctor'/],
    [['doctor', '--interval', 'x'], /--interval: "x" is not a duration/],
    [['doctor', '--rounds', '0'], /--rounds: "0" is not a whole number/],
    [
      ['report'],
      /^gcrwatch: no session logs in .*no-state\/gcrwatch\/sessions yet: run gcrwatch first, or name a log file$/,
    ],
    [['report', '7'], /there is no session 7: 0 session log\(s\) in /],
    [['report', '1', '--last'], /--last reports the latest session: drop "1"/],
    [['report', LOGS.newer, '-o', 'r.pdf'], /-o r\.pdf: cannot write a \.pdf report \(md, html, json or csv\)/],
    [['sessions', 'extra'], /too many arguments for 'sessions'/],
    [['report', LOGS.newer, '--format', 'pdf'], /--format: "pdf" is not one of md, html, json, csv/],
    [['report', LOGS.newer, '--format', ''], /--format: "" is not one of/],
    [['replay'], /no session logs in .* yet/],
    [['replay', LOGS.newer, '--speed', '0'], /--speed: "0" is not a number from 0.01 to 100000/],
    [['replay', LOGS.newer, '--speed', '-1'], /--speed: "-1" is not a number/],
    [['replay', LOGS.newer, '--speed', 'fast'], /--speed: "fast" is not a number/],
    [['replay', LOGS.newer, '--speed', '1e9'], /--speed: "1e9" is not a number/],
  ])('%j', async (args, why) => refused(args, why));

  it('report -o into a folder that does not exist', async () => {
    const log = file('ok.ndjson', `${START}\n`);
    await refused(
      ['report', log, '-o', path.join(dir, 'no', 'such', 'r.md')],
      /-o .*r\.md: cannot write it \(ENOENT\)/,
    );
  });
});

describe('session logs that are not session logs, for report (every format) and replay', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['empty', LOGS.empty, /empty\.ndjson: is empty, not a session log/],
    ['binary', LOGS.binary, /binary\.ndjson: not a gcrwatch session log \(line 1 is not JSON\)/],
    [
      'truncated before its first line ended',
      LOGS.truncated,
      /truncated\.ndjson: not a gcrwatch session log \(line 1 is not JSON\)/,
    ],
    [
      'from a newer schema',
      LOGS.newer,
      /newer\.ndjson: written by a newer gcrwatch \(event schema 7, this version reads up to 2\); upgrade/,
    ],
    ['plain text', LOGS.text, /text\.ndjson: not a gcrwatch session log \(line 1 is not JSON\)/],
    [
      'JSON that is not events',
      LOGS.jsonNotEvents,
      /json\.ndjson: not a gcrwatch session log \(line 1 is not a gcrwatch event\)/,
    ],
    ['missing', path.join(dir, 'missing.ndjson'), /missing\.ndjson: cannot read it \(ENOENT\)/],
    ['a folder', FOLDER, /a-folder: is a directory, not a session log/],
  ];
  const commands: string[][] = [
    ['report'],
    ['report', '--format', 'html'],
    ['report', '--format', 'json'],
    ['report', '--format', 'csv'],
    ['replay', '--speed', '1000', '--plain'],
  ];
  it.concurrent.each(
    cases.flatMap(([name, log, why]) =>
      commands.map((cmd) => [`${cmd.join(' ')}: ${name}`, [cmd[0]!, log, ...cmd.slice(1)], why] as const),
    ),
  )('%s', async (_name, args, why) => refused([...args], why));
});

describe('configuration files that are wrong', () => {
  const cfg = (name: string, content: string | Buffer) => file(name, content);
  it.concurrent.each([
    ['empty', cfg('empty.json', ''), /empty\.json: not valid JSON/],
    ['not JSON', cfg('bad.json', '{bad json'), /bad\.json: not valid JSON/],
    [
      'binary',
      cfg('binary.json', Buffer.from([0x00, 0x01, 0xff, 0x1b, 0x5b, 0x32, 0x4a])),
      /binary\.json: not valid JSON/,
    ],
    ['an array', cfg('array.json', '[1,2]'), /array\.json: the configuration must be a JSON object/],
    ['a misspelt key', cfg('key.json', '{"intervall": "5s"}'), /key\.json: intervall: unknown key \(known: targets/],
    ['a wrong type', cfg('type.json', '{"interval": 5}'), /type\.json: interval: expected string, got number/],
    ['a negative interval', cfg('neg.json', '{"interval": "-1s"}'), /neg\.json: interval: "-1s" is not a duration/],
    ['an absurd timeout', cfg('abs.json', '{"timeout": "99999h"}'), /abs\.json: timeout: 99999h is out of range/],
    [
      'an http:// target',
      cfg('tgt.json', '{"targets": ["http://x"]}'),
      /tgt\.json: targets\[0\]: invalid target "http:\/\/x": only https:\/\//,
    ],
    [
      'targets not a list',
      cfg('tgt2.json', '{"targets": "gcr.io"}'),
      /tgt2\.json: targets: expected array, got string/,
    ],
    [
      'a bad pin',
      cfg('pin.json', '{"resolve": ["gcr.io:443"]}'),
      /pin\.json: resolve\[0\]: "gcr.io:443" is not HOST:PORT:ADDRESS/,
    ],
    ['an unknown output', cfg('out.json', '{"output": "fancy"}'), /out\.json: output: /],
    [
      'an unreadable CA file',
      cfg('ca.json', '{"caFiles": ["/nonexistent/ca.pem"]}'),
      /ca\.json: caFiles\[0\]: .*cannot read it \(ENOENT\)/,
    ],
  ])('%s', async (_name, config, why) =>
    refused(['--config', config, '--no-log', '--duration', '1s', '--only', '--target', '127.0.0.1:9'], why),
  );

  it('a file that holds a secret where JSON breaks: the error quotes the file but never the secret', async () => {
    const leaky = cfg('leaky.json', '{"auth": ya29.CANARYsecret-token-5f1e}');
    const r = await runCli(['--config', leaky, '--no-log', '--duration', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leaky\.json: not valid JSON/);
    expect(r.stderr).not.toContain('CANARY');
  });
});
