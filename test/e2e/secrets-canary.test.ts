/**
 * Canary secrets end to end (issue 9): distinct canary values planted in everything gcrwatch
 * reads — an authorized_user ADC (refresh_token, client_secret), a service-account key
 * (private_key, private_key_id), docker's config.json (`auth` of a `_json_key` login whose
 * password is a whole key file, `auth` of a user:password, `identitytoken`), a credential
 * helper's Secret, the registry token endpoint's Bearer tokens (JWTs minted in the run), and
 * tokens the wrapped command prints itself. Then full sessions in the simulated world in every
 * mode that runs here — `--plain` with `--metrics` scraped over HTTP, `--json`, a wrapped
 * command, `doctor`, every report format (stdout and `-o` files), the dashboard in tmux with
 * its export key — and no canary, nor its base64 form, nor a JWT, appears in any stdout,
 * stderr, session log, report, export, metrics page or screen. Besides Google's, what a build
 * host carries (a Google API key, GitHub, GitLab and npm tokens, an AWS access key, a Slack
 * webhook, passwd/pwd/client_secret values) is planted in the wrapped command's output, in the
 * environment gcrwatch and the command run with (and messages made from it: a proxy URL with
 * a password), and in configuration files (gcrwatch's own, docker's); every output is checked.
 * Also: what gcrwatch writes is 0600 in folders it creates 0700, and `--metrics PORT` listens on
 * 127.0.0.1 only.
 * (The wrapped command's environment is checked in test/cli/push-child-faults.test.ts.)
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { createWorld, WORLD_PREREQS, type World } from '../peers/world.js';
import { mintIdentity, type MintedIdentity } from '../support/auth-world.js';
import { HelperBin } from '../support/credential-helpers.js';
import { BIN } from '../support/run-cli.js';
import { ARTIFACTS_ROOT, checkTerminalPrerequisites, hasTmux, startTmux } from '../support/tmux.js';
import { ensureBuilt } from '../support/wrap-cli.js';

const tag = () => randomBytes(6).toString('hex');
/** `n` random characters of `alphabet` (a canary's filler in a provider's exact shape). */
const fill = (alphabet: string, n: number) => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Secrets of a build host, each in its provider's shape, each holding CANARY. */
function buildHostCanaries() {
  return {
    googleApiKey: `AIza${'CANARY'}${fill(ALNUM, 29)}`,
    github: `ghp_CANARY${fill(ALNUM, 30)}`,
    githubFineGrained: `github_pat_11CANARY${fill(ALNUM, 74)}`,
    gitlab: `glpat-CANARY${fill(ALNUM, 14)}`,
    awsAccessKey: `AKIACANARY${fill(UPPER, 10)}`,
    awsSecret: `CANARY${fill(ALNUM, 34)}`,
    npm: `npm_CANARY${fill(ALNUM, 30)}`,
    slackWebhook: `CANARY${fill(ALNUM, 18)}`,
    passwd: `passwd-CANARY-${tag()}`,
    pwd: `pwd-CANARY-${tag()}`,
    clientSecret: `client-secret-CANARY-${tag()}`,
    proxyPassword: `proxy-CANARY-${tag()}`,
  };
}
/** A JWT (the registry's Bearer tokens, an id_token): header and payload both start `eyJ`. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/;
const REPO = 'gcr.io/proj/app';

function rsaPem(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/** Every place a run wrote to, by name. */
type Outputs = Array<[string, string]>;

describeWithPrereqs('canary secrets never leave gcrwatch, in any mode', [...WORLD_PREREQS, 'curl'], () => {
  let world: World;
  let bin: HelperBin;
  let identity: MintedIdentity;
  /** Canary values: none may appear anywhere, raw or base64. */
  const canaries: string[] = [];
  /** Texts that are secrets as a whole (docker `auth` fields, key files), raw or base64. */
  const wholes: string[] = [];
  let saKeyFile: string;
  let childScript: string;
  const host = buildHostCanaries();
  /** The environment of a build host: gcrwatch's, and so the wrapped command's. */
  const hostEnv = {
    GOOGLE_API_KEY: host.googleApiKey,
    GITHUB_TOKEN: host.github,
    GH_FINE_GRAINED: host.githubFineGrained,
    CI_JOB_TOKEN: host.gitlab,
    AWS_ACCESS_KEY_ID: host.awsAccessKey,
    AWS_SECRET_ACCESS_KEY: host.awsSecret,
    NPM_TOKEN: host.npm,
    SLACK_WEBHOOK_URL: `https://hooks.slack.com/services/T0CANARY1/B0CANARY2/${host.slackWebhook}`,
    MYSQL_PWD: host.pwd,
  };
  const everything: Outputs = [];

  /** Fails naming the output and the canary; records the output for the last check. */
  function expectClean(outputs: Outputs): void {
    for (const [name, text] of outputs) {
      everything.push([name, text]);
      expect(text, `${name}: a canary`).not.toMatch(/CANARY/);
      expect(text, `${name}: a JWT`).not.toMatch(JWT);
      expect(text, `${name}: a private key`).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY-----\s*\n?\s*MII/);
      // Any long base64 run, decoded, must not hold a canary either (a credential re-encoded).
      for (const run of text.match(/[A-Za-z0-9+/]{24,}={0,2}/g) ?? []) {
        expect(Buffer.from(run, 'base64').toString('latin1'), `${name}: base64 holding a canary`).not.toMatch(/CANARY/);
      }
      for (const secret of [...canaries, ...wholes]) {
        expect(text.includes(secret), `${name}: ${secret.slice(0, 16)}…`).toBe(false);
        expect(
          text.includes(Buffer.from(secret).toString('base64')),
          `${name}: base64 of ${secret.slice(0, 16)}…`,
        ).toBe(false);
      }
    }
  }

  const logText = (file: string) => readFileSync(file, 'utf8');

  beforeAll(async () => {
    ensureBuilt();
    world = await createWorld();
    bin = new HelperBin();
    identity = await mintIdentity(world, 'canary', 'canary-dev@example.com', 'push');
    // The authorized_user ADC in gcloud's well-known place (HOME is the helper folder).
    const adcSecret = `adc-client-secret-CANARY-${tag()}`;
    mkdirSync(path.join(bin.dir, '.config', 'gcloud'), { recursive: true });
    writeFileSync(
      path.join(bin.dir, '.config', 'gcloud', 'application_default_credentials.json'),
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'sim',
        client_secret: adcSecret,
        refresh_token: identity.refreshToken,
      }),
      { mode: 0o600 },
    );
    // A service-account key, read through GOOGLE_APPLICATION_CREDENTIALS in some runs.
    const saPem = rsaPem();
    const saKeyId = `sa-key-id-CANARY-${tag()}`;
    saKeyFile = path.join(bin.dir, 'sa.json');
    writeFileSync(
      saKeyFile,
      JSON.stringify({
        type: 'service_account',
        project_id: 'proj',
        private_key_id: saKeyId,
        private_key: saPem,
        client_email: 'pusher@proj.iam.gserviceaccount.com',
        client_id: '1',
      }),
      { mode: 0o600 },
    );
    // docker login -u _json_key: the password is a whole key file (another key), granted push.
    const jsonKey = JSON.stringify({
      type: 'service_account',
      project_id: 'proj',
      private_key_id: `json-key-id-CANARY-${tag()}`,
      private_key: rsaPem(),
      client_email: 'ci-jsonkey@proj.iam.gserviceaccount.com',
    });
    await world.tokens.setIdentity({
      username: '_json_key',
      password: jsonKey,
      policy: 'push',
      grantDelete: true,
      subject: 'ci-jsonkey@proj.iam.gserviceaccount.com',
    });
    const euPassword = `eu-password-CANARY-${tag()}`;
    const identityToken = `identitytoken-CANARY-${tag()}`;
    const dockerAuths = {
      'gcr.io': { auth: Buffer.from(`_json_key:${jsonKey}`).toString('base64') },
      'eu.gcr.io': { auth: Buffer.from(`canary-user:${euPassword}`).toString('base64') },
      'us.gcr.io': { identitytoken: identityToken },
    };
    bin.writeDockerConfig({
      auths: dockerAuths,
      credHelpers: { 'europe-west1-docker.pkg.dev': 'canary' },
      // Other secrets docker's file may hold: headers sent to every registry, a proxy with a password.
      HttpHeaders: { 'X-Api-Key': host.googleApiKey },
      proxies: { default: { httpsProxy: `http://builder:${host.proxyPassword}@127.0.0.1:9` } },
    });
    // A helper whose Secret is the access token minted for the ADC identity.
    bin.install('canary', { kind: 'ok', username: 'oauth2accesstoken', secret: identity.accessToken });
    // What the wrapped command prints: tokens by shape at once; after the first credential
    // checks (gcrwatch has read docker's config by then), the config's own secrets verbatim.
    const child = {
      bearer: `child-bearer-CANARY-${tag()}`,
      ya29: `ya29.child-CANARY-${tag()}`,
      password: `child-password-CANARY-${tag()}`,
    };
    childScript = path.join(bin.dir, 'push.sh');
    writeFileSync(
      childScript,
      [
        '#!/bin/sh',
        `echo "GET /v2/ with Authorization: Bearer ${child.bearer}"`,
        `echo "token ${child.ya29} expired" >&2`,
        `echo '{"username":"u","password":"${child.password}"}'`,
        `echo "refresh with ${identity.refreshToken}" >&2`,
        // A build host's secrets, as CI scripts print them: its environment, config dumps, URLs.
        // (shell builtins only: the test PATH holds a few tools and not env or grep)
        ...Object.keys(hostEnv).map((name) => `echo "${name}=$${name}"`),
        `echo '{"passwd": "${host.passwd}", "client_secret": "${host.clientSecret}"}'`,
        `echo "git clone https://oauth2:${host.gitlab}@gitlab.example/x.git; npm config set //registry.npmjs.org/:_authToken=${host.npm}"`,
        `echo "aws ${host.awsAccessKey} github ${host.github} ${host.githubFineGrained} key ${host.googleApiKey}" >&2`,
        'sleep "${CHILD_WAIT:-4}"',
        `echo "identity token ${identityToken} and password ${euPassword}"`,
        `echo "auth ${dockerAuths['eu.gcr.io'].auth} and ${dockerAuths['gcr.io'].auth}"`,
        'sleep "${CHILD_LINGER:-0}"',
        'exit 1',
      ].join('\n'),
    );
    chmodSync(childScript, 0o755);
    canaries.push(
      ...Object.values(host),
      identity.refreshToken,
      identity.accessToken,
      adcSecret,
      saKeyId,
      euPassword,
      identityToken,
      ...Object.values(child),
    );
    // A private key's body lines (each line of base64), and the whole texts.
    for (const pem of [saPem, JSON.parse(jsonKey).private_key as string])
      canaries.push(
        ...pem
          .split('\n')
          .filter((l) => l && !l.startsWith('-----'))
          .slice(0, 3),
      );
    wholes.push(jsonKey, dockerAuths['gcr.io'].auth, dockerAuths['eu.gcr.io'].auth);
  }, 180_000);

  afterAll(async () => {
    await world?.close();
    bin?.cleanup();
  });

  const env = (extra: NodeJS.ProcessEnv = {}) =>
    bin.env({
      XDG_STATE_HOME: path.join(bin.dir, 'state'),
      XDG_CONFIG_HOME: path.join(bin.dir, 'config'),
      ...hostEnv,
      ...extra,
    });
  const gcrwatch = (args: string[], extra: NodeJS.ProcessEnv = {}, timeoutMs = 60_000) =>
    world.run(process.execPath, [BIN, ...args], { env: env(extra), timeoutMs });

  it('--plain (default log place, metrics scraped on 127.0.0.1), --json and doctor', async () => {
    const plainChild = world.spawn(
      process.execPath,
      [BIN, '--plain', '--duration', '60s', '--repo', REPO, '--auth-interval', '5s', '--metrics', '9464'],
      { env: env() },
    );
    let plain = '';
    let plainErr = '';
    plainChild.stdout!.setEncoding('utf8').on('data', (c: string) => {
      plain += c;
    });
    plainChild.stderr!.setEncoding('utf8').on('data', (c: string) => {
      plainErr += c;
    });
    const plainDone = new Promise<number | null>((r) => plainChild.once('exit', (code) => r(code)));
    // --json runs until its first credential check has reported Google's view (however loaded
    // the machine), then is stopped as a user would stop it.
    const jsonChild = world.spawn(
      process.execPath,
      [BIN, '--json', '--repo', REPO, '--log', path.join(bin.dir, 'json.ndjson')],
      { env: env({ GOOGLE_APPLICATION_CREDENTIALS: saKeyFile }) },
    );
    const json = { stdout: '', stderr: '' };
    jsonChild.stdout!.setEncoding('utf8').on('data', (c: string) => {
      json.stdout += c;
      if (json.stdout.includes('"view":"google"')) jsonChild.kill('SIGTERM');
    });
    jsonChild.stderr!.setEncoding('utf8').on('data', (c: string) => {
      json.stderr += c;
    });
    const jsonDone = new Promise<number | null>((r) => jsonChild.once('exit', (code) => r(code)));
    const jsonDeadline = setTimeout(() => jsonChild.kill('SIGTERM'), 90_000);
    const [doctor] = await Promise.all([
      gcrwatch(['doctor', '--repo', REPO, '--rounds', '2', '--log', path.join(bin.dir, 'doctor.ndjson')], {
        GOOGLE_APPLICATION_CREDENTIALS: saKeyFile,
      }),
      jsonDone,
    ]);
    clearTimeout(jsonDeadline);
    // By now the plain run has done its first credential checks: scrape it.
    const listening = await world.run('ss', ['-ltnH']);
    const scrape = await world.run('curl', ['-sS', '--max-time', '5', 'http://127.0.0.1:9464/metrics']);
    plainChild.kill('SIGTERM');
    expect(await plainDone).toBe(0);

    expect(plainErr).toContain('gcrwatch: metrics at http://127.0.0.1:9464/metrics');
    const sockets = listening.stdout.split('\n').filter((l) => /:9464\b/.test(l));
    expect(sockets.length).toBe(1);
    expect(sockets[0]).toMatch(/\s127\.0\.0\.1:9464\s/);
    expect(scrape.code).toBe(0);
    expect(scrape.stdout).toMatch(/^gcrwatch_/m);
    // The sessions ran for real: credentials were read and used.
    expect(plain).toContain(`credentials: ok: push to ${REPO} allowed as ci-jsonkey@proj.iam.gserviceaccount.com`);
    expect(json.stdout).toContain('"view":"google"');
    expect(json.stdout).toContain('"kind":"service-account"');
    expect(doctor.stdout.length).toBeGreaterThan(0);

    // The default log: 0600 in folders gcrwatch created 0700.
    const state = path.join(bin.dir, 'state');
    const sessions = path.join(state, 'gcrwatch', 'sessions');
    for (const d of [path.join(state, 'gcrwatch'), sessions]) expect(statSync(d).mode & 0o777, d).toBe(0o700);
    const logs = readdirSync(sessions);
    expect(logs).toHaveLength(1);
    const plainLog = path.join(sessions, logs[0]!);
    expect(statSync(plainLog).mode & 0o777).toBe(0o600);
    for (const f of ['json.ndjson', 'doctor.ndjson']) expect(statSync(path.join(bin.dir, f)).mode & 0o777).toBe(0o600);
    writeFileSync(path.join(bin.dir, 'plain-log-path'), plainLog);

    expectClean([
      ['--plain stdout', plain],
      ['--plain stderr', plainErr],
      ['--plain log', logText(plainLog)],
      ['metrics', scrape.stdout],
      ['--json stdout', json.stdout],
      ['--json stderr', json.stderr],
      ['--json log', logText(path.join(bin.dir, 'json.ndjson'))],
      ['doctor stdout', doctor.stdout],
      ['doctor stderr', doctor.stderr],
      ['doctor log', logText(path.join(bin.dir, 'doctor.ndjson'))],
    ]);
  }, 180_000);

  it('a wrapped command printing tokens, --plain and --json', async () => {
    const runs = await Promise.all(
      ['--plain', '--json'].map((mode) =>
        gcrwatch([mode, '--repo', REPO, '--log', path.join(bin.dir, `wrap${mode}.ndjson`), '--', childScript], {
          CHILD_WAIT: '5',
        }),
      ),
    );
    // The command run alone, in the same environment: how many lines it prints.
    const direct = await world.run(childScript, [], { env: env({ CHILD_WAIT: '0' }) });
    const directLines = `${direct.stdout}${direct.stderr}`.split('\n').filter(Boolean).length;
    expect(directLines).toBeGreaterThanOrEqual(6 + 3 + 1);
    for (const [i, mode] of ['--plain', '--json'].entries()) {
      const run = runs[i]!;
      expect(run.code, `${mode}: ${run.stderr}`).toBe(1);
      const log = logText(path.join(bin.dir, `wrap${mode}.ndjson`));
      // Every line the command printed is in the log, redacted.
      expect(log.match(/"type":"push\.output"/g)?.length).toBe(directLines);
      expect(log).toContain('GITHUB_TOKEN=<redacted>');
      expect(log).toContain('"passwd\\": \\"<redacted>\\"');
      expect(log).toContain('Authorization: Bearer <redacted>');
      // The config's own secrets, printed verbatim after gcrwatch had read them: redacted, not dropped.
      expect(log).toContain('identity token <redacted> and password <redacted>');
      expectClean([
        [`wrap ${mode} stdout`, run.stdout],
        [`wrap ${mode} stderr`, run.stderr],
        [`wrap ${mode} log`, log],
      ]);
    }
  }, 90_000);

  it('every report format, on stdout and written with -o (0600)', async () => {
    const logs = [
      readFileSync(path.join(bin.dir, 'plain-log-path'), 'utf8'),
      path.join(bin.dir, 'wrap--plain.ndjson'),
      path.join(bin.dir, 'doctor.ndjson'),
    ];
    for (const [n, log] of logs.entries()) {
      for (const format of ['md', 'html', 'csv', 'json']) {
        const out = await gcrwatch(['report', log, '--format', format]);
        expect(out.code, out.stderr).toBe(0);
        expect(out.stdout.length).toBeGreaterThan(100);
        const file = path.join(bin.dir, `report-${n}.${format}`);
        const written = await gcrwatch(['report', log, '-o', file]);
        expect(written.code, written.stderr).toBe(0);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expectClean([
          [`report ${format} of log ${n}`, out.stdout + out.stderr],
          [`report -o ${file}`, readFileSync(file, 'utf8')],
        ]);
      }
    }
  }, 120_000);

  it('messages made from the environment and from configuration files', async () => {
    const proxied = { HTTPS_PROXY: `http://builder:${host.proxyPassword}@127.0.0.1:9` };
    // A proxy with a password that refuses every connection: the rounds fail naming the proxy.
    const viaProxy = await gcrwatch(
      ['--plain', '--rounds', '1', '--repo', REPO, '--log', path.join(bin.dir, 'proxy.ndjson')],
      proxied,
    );
    expect(viaProxy.stdout).toMatch(/proxy/i);
    // A proxy URL that cannot be used at all: a usage error made from the variable.
    const badProxy = await gcrwatch(['--plain', '--rounds', '1'], {
      HTTPS_PROXY: `http://builder:${host.proxyPassword}@127.0.0.1:99999`,
    });
    expect(badProxy.code).toBe(2);
    expect(badProxy.stderr).toMatch(/^gcrwatch: HTTPS_PROXY: /);
    // gcrwatch's own configuration file: one with secrets it uses, one it refuses, quoting a value.
    const config = path.join(bin.dir, 'canary-config.json');
    writeFileSync(config, JSON.stringify({ proxy: `http://builder:${host.proxyPassword}@127.0.0.1:9`, repo: REPO }));
    const printed = await gcrwatch(['--config', config, 'config', 'print']);
    const printedJson = await gcrwatch(['--config', config, 'config', 'print', '--json']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printedJson.code, printedJson.stderr).toBe(0);
    const refused = path.join(bin.dir, 'refused-config.json');
    writeFileSync(refused, JSON.stringify({ interval: host.github, timeout: `${host.npm}s` }));
    const refusal = await gcrwatch(['--config', refused, '--plain', '--rounds', '1']);
    expect(refusal.code).toBe(2);
    expect(refusal.stderr).toMatch(/refused-config\.json: interval: /);
    const logged = await gcrwatch(['report', path.join(bin.dir, 'proxy.ndjson')]);
    expectClean([
      ['env proxy stdout', viaProxy.stdout],
      ['env proxy stderr', viaProxy.stderr],
      ['env proxy log', logText(path.join(bin.dir, 'proxy.ndjson'))],
      ['env proxy report', logged.stdout + logged.stderr],
      ['env bad proxy stderr', badProxy.stdout + badProxy.stderr],
      ['config print', printed.stdout + printed.stderr],
      ['config print --json', printedJson.stdout + printedJson.stderr],
      ['config refused stderr', refusal.stdout + refusal.stderr],
    ]);
  }, 90_000);

  it.runIf(hasTmux || process.env.CI === 'true')(
    'the dashboard in tmux wrapping the command, and its export key',
    async () => {
      checkTerminalPrerequisites();
      const dir = path.join(bin.dir, 'tui');
      mkdirSync(dir);
      const quote = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;
      const vars = Object.entries(
        env({
          NODE_EXTRA_CA_CERTS: world.caFile,
          CHILD_WAIT: '4',
          CHILD_LINGER: '60',
          TERM: 'xterm-256color',
          LANG: 'C.UTF-8',
        }),
      ).map(([k, v]) => `${k}=${quote(String(v))}`);
      const log = path.join(dir, 'tui.ndjson');
      const term = startTmux(
        [
          `cd ${JSON.stringify(dir)}`,
          `ip netns exec ${world.name} env -i ${vars.join(' ')} ${process.execPath} ${JSON.stringify(BIN)} --repo ${REPO} --log ${JSON.stringify(log)} --auth-interval 5s -- ${JSON.stringify(childScript)}`,
          `echo "EXIT=$?" > ${JSON.stringify(path.join(dir, 'exit'))}`,
          'sleep 60',
        ].join('; '),
        { columns: 140, rows: 45, artifacts: path.join(ARTIFACTS_ROOT, 'secrets-canary') },
      );
      try {
        const screens: Outputs = [];
        screens.push([
          'dashboard, first',
          await term.waitFor('the dashboard with the push', (s) => /push/.test(s) && /gcr\.io/.test(s), 30_000),
        ]);
        // The command's second batch of lines (after its wait) and a credential check.
        await new Promise((r) => setTimeout(r, 9000));
        screens.push(['dashboard, later', term.capture('01-dashboard')]);
        term.tmux('send-keys', '-t', 'main', 'e');
        const until = Date.now() + 10_000;
        let exported: string | undefined;
        while (!exported && Date.now() < until) {
          exported = readdirSync(dir).find((f) => f.startsWith('gcrwatch-export-'));
          if (!exported) await new Promise((r) => setTimeout(r, 200));
        }
        expect(exported, 'the export file').toBeDefined();
        screens.push(['dashboard, after export', term.capture('02-exported')]);
        term.tmux('send-keys', '-t', 'main', 'q');
        const exitFile = path.join(dir, 'exit');
        const end = Date.now() + 15_000;
        while (!existsSync(exitFile) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
        screens.push(['terminal after quit', term.capture('03-after-quit')]);
        expect(readFileSync(exitFile, 'utf8').trim()).toMatch(/^EXIT=\d+$/);
        const exportText = readFileSync(path.join(dir, exported!), 'utf8');
        expect(statSync(path.join(dir, exported!)).mode & 0o777).toBe(0o600);
        expect(exportText).toContain('"type":"push.output"');
        expectClean([...screens, ['export', exportText], ['dashboard log', logText(log)]]);
      } finally {
        term.kill();
      }
    },
    120_000,
  );

  it('every mode above was checked, each output non-empty', () => {
    const names = everything.map(([name]) => name);
    const modes = [
      '--plain stdout',
      'metrics',
      '--json stdout',
      'doctor stdout',
      'wrap --plain log',
      'wrap --json stdout',
      'report md',
      'report html',
      'report csv',
      'report json',
      'env proxy stdout',
      'env bad proxy stderr',
      'config print',
      'config refused stderr',
    ];
    if (hasTmux || process.env.CI === 'true') modes.push('export', 'dashboard, later');
    for (const mode of modes)
      expect(
        names.some((n) => n.startsWith(mode)),
        mode,
      ).toBe(true);
    for (const [name, text] of everything) if (!/stderr/.test(name)) expect(text.length, name).toBeGreaterThan(0);
  });
});
