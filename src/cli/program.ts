/**
 * The command line: global options of the monitor (and of the wrapper, which is the
 * monitor plus a child command after `--`), and the subcommands. Parsing only: values are
 * validated and turned into a session configuration in `monitor-config.ts`.
 */
import { Command, Help, Option } from 'commander';
import { gcrwatchVersion } from './version.js';

/** The monitor's options as commander parses them (strings, not yet validated). */
export interface MonitorFlags {
  target: string[];
  only?: boolean;
  repo?: string;
  resolve: string[];
  dnsServer: string[];
  caFile: string[];
  ipv4?: boolean;
  ipv6?: boolean;
  interval: string;
  timeout: string;
  duration?: string;
  rounds?: string;
  plain?: boolean;
  json?: boolean;
  log: string | boolean;
  color?: boolean;
  authInterval: string;
  pushCheck: boolean;
  /** `--proxy URL` (a string), `--no-proxy` (false), or neither (the environment decides). */
  proxy?: string | false;
  compareDirect?: boolean;
  metrics?: string;
  /** `--proxy-bypass HOSTS`: hosts reached directly, replacing NO_PROXY. */
  proxyBypass?: string;
  /** `--keep-sessions N`: session logs kept in the sessions folder. */
  keepSessions?: string;
  /** `--prune-after DURATION`: session logs not written for this long are deleted. */
  pruneAfter?: string;
  /** False with `--no-prune`. */
  prune?: boolean;
  /** `--export-dir DIR`: where the dashboard's export goes. */
  exportDir?: string;
  /** `--config FILE` (or the default file found), `--no-config` (false). */
  config?: string | false;
  demo?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const EXAMPLES = `
Examples:
  gcrwatch --demo                            the dashboard against a simulated world: try it first
  gcrwatch                                   watch the default Google registry endpoints
  gcrwatch eu.gcr.io us-docker.pkg.dev       watch exactly these hosts, as ping does
  gcrwatch europe-west1-docker.pkg.dev/proj/repo/app:1.2   watch the registry you push to
  gcrwatch --plain --duration 30s            30 seconds of plain lines, then a summary
  gcrwatch --json europe-west1-docker.pkg.dev   one registry host, as NDJSON events
  gcrwatch --resolve gcr.io:443:142.250.1.82 --dns-server 8.8.8.8
  gcrwatch -- docker push gcr.io/my-project/app:1.2   wrap a push: its output, summary and verdict
  gcrwatch --stay -- docker push gcr.io/my-project/app:1.2   keep the dashboard open after the push
  gcrwatch --proxy http://proxy.corp:3128 --compare-direct   is the proxy the slow part?
  gcrwatch --metrics 9464 --plain            a long-lived Prometheus target (127.0.0.1:9464)
  gcrwatch --config fleet.json config print  the effective settings and where each comes from
  gcrwatch discover                          registries advertised on the local network

Only what follows -- is run: gcrwatch never executes a word before it.
Commands have their own help: gcrwatch COMMAND --help.`;

/** Add the options every probing command shares. */
export function addProbeOptions(cmd: Command): Command {
  return cmd
    .option(
      '-t, --target <target>',
      'add a target: HOST[:PORT], https://HOST[:PORT] or an image reference (repeatable)',
      collect,
      [],
    )
    .option('--only', 'probe only the given targets, not the default registry hosts')
    .option(
      '--repo <image>',
      'the image you push (e.g. europe-west1-docker.pkg.dev/proj/repo/app): its registry is probed',
    )
    .option(
      '--resolve <host:port:addr>',
      'use this address for host:port instead of DNS, as curl does (repeatable)',
      collect,
      [],
    )
    .option(
      '--dns-server <ip[:port]>',
      'also ask this resolver directly, reported beside the system resolver (repeatable)',
      collect,
      [],
    )
    .option('--ca-file <pem>', 'trust the CA certificates in this PEM file as well (repeatable)', collect, [])
    .option('-4, --ipv4', 'use IPv4 only')
    .option('-6, --ipv6', 'use IPv6 only')
    .option('-i, --interval <duration>', 'time between rounds per target', '2s')
    .option('--timeout <duration>', 'deadline of one round', '5s')
    .option('-d, --duration <duration>', 'stop after this long (e.g. 30s, 10m)')
    .option('--rounds <n>', 'stop after this many rounds per target')
    .option('--log <file>', 'write the session log here (default: $XDG_STATE_HOME/gcrwatch/sessions/)')
    .option('--no-log', 'do not write a session log')
    .option('--keep-sessions <n>', 'keep the newest N session logs; older ones are deleted at start', '100')
    .option('--prune-after <duration>', 'delete session logs not written for this long, at start', '30d')
    .option('--no-prune', 'delete no session log at start')
    .option('--export-dir <dir>', "where the dashboard's export (e) goes (default: beside the session logs)")
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('--proxy <url>', 'tunnel every probe through this HTTP proxy (default: HTTPS_PROXY, NO_PROXY honoured)')
    .option('--no-proxy', 'connect directly, whatever HTTPS_PROXY says')
    .option('--proxy-bypass <hosts>', 'comma-separated hosts, domains or CIDRs reached directly (replaces NO_PROXY)')
    .option('--compare-direct', 'probe each proxied target twice: through the proxy and directly')
    .option(
      '--metrics <[addr:]port>',
      'serve Prometheus metrics at http://ADDR:PORT/metrics (ADDR defaults to 127.0.0.1)',
    )
    .option(
      '--config <file>',
      'read settings from this JSON file (default: $XDG_CONFIG_HOME/gcrwatch/config.json, then ./gcrwatch.json)',
    )
    .option('--no-config', 'read no configuration file')
    .option('--auth-interval <duration>', 'time between credential checks (docker, Google, registry, clock)', '60s')
    .option(
      '--no-push-check',
      'do not prove push permission by opening and cancelling an upload on the --repo registry',
    );
}

/** An option's help without `(default: [])`: a repeatable option says "(repeatable)" already. */
function withoutEmptyDefault(this: Help, option: Option): string {
  return Help.prototype.optionDescription.call(this, option).replace(' (default: [])', '');
}

/** Build the program: its options and positional targets; the subcommands register themselves (commands/). */
export function buildProgram(): Command {
  const program = new Command('gcrwatch')
    .description(
      'Watch DNS, TCP, TLS, HTTP and credentials of Google container registries, and say why docker push fails.',
    )
    .version(gcrwatchVersion(), '-V, --version', 'print the version')
    .usage('[options] [HOST... | IMAGE] [-- COMMAND [ARGS...]]')
    .argument(
      '[hosts...]',
      'registry hosts to watch instead of the defaults (gcr.io, registry.local:5000, https://HOST), or the image you push',
    )
    .addOption(
      new Option('--plain', 'plain lines, no TUI (the default when stdout is not a terminal)').conflicts('json'),
    )
    .option('--json', 'the event stream as NDJSON on stdout')
    .option('--demo', 'watch a simulated registry world on 127.0.0.1 with scripted trouble (offline, labelled DEMO)')
    .addHelpText('after', EXAMPLES)
    .configureHelp({ optionDescription: withoutEmptyDefault })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  addProbeOptions(program);
  return program;
}
