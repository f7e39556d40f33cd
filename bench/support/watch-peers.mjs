/**
 * The other probers of the watch-cost benchmark, as files it writes into the world's folder:
 * prometheus-blackbox-exporter's module and the driver that asks it for each URL once a
 * second, and the bare Node.js floor (what any Node.js prober must do, nothing recorded).
 */
/** blackbox_exporter's module: GET /v2/, a 401 with a challenge is healthy, IPv4 first, trusting the world's CA. */
export function blackboxConfig(caFile) {
  return [
    'modules:',
    '  registry_v2:',
    '    prober: http',
    '    timeout: 5s',
    '    http:',
    '      method: GET',
    '      valid_status_codes: [401]',
    '      preferred_ip_protocol: ip4',
    '      tls_config:',
    `        ca_file: ${caFile}`,
    '',
  ].join('\n');
}

/**
 * The driver asks the exporter to probe each URL once a second, spread over the second the way
 * gcrwatch spreads its targets (20 ms apart), and counts answers with probe_success 1.
 */
export const DRIVER = `
const [port, seconds, ...urls] = process.argv.slice(2);
let ok = 0, failed = 0;
const t0 = Date.now();
urls.forEach((url, i) => {
  const probe = () => fetch('http://127.0.0.1:' + port + '/probe?module=registry_v2&target=' + encodeURIComponent(url))
    .then((r) => r.text()).then((t) => (/^probe_success 1$/m.test(t) ? ok++ : failed++), () => failed++);
  let k = 0;
  const tick = () => { probe(); k++; if (k < Number(seconds)) setTimeout(tick, t0 + i * 20 + k * 1000 - Date.now()); };
  setTimeout(tick, i * 20);
});
setTimeout(() => { console.log(JSON.stringify({ ok, failed })); process.exit(0); }, Number(seconds) * 1000 + 6000);
`;

/** (d) The bare Node prober: argv = seconds, CA file, host names. */
export const NODE_FLOOR = `
import dns from 'node:dns/promises';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
const [seconds, caFile, ...hosts] = process.argv.slice(2);
const context = tls.createSecureContext({ ca: [...tls.rootCertificates, readFileSync(caFile, 'utf8')] });
let ok = 0, failed = 0;
async function probe(host) {
  const [{ address }] = await dns.lookup(host, { all: true });
  await new Promise((resolve, reject) => {
    const s = tls.connect({ host: address, port: 443, servername: host, secureContext: context }, () => {
      s.write('GET /v2/ HTTP/1.1\\r\\nhost: ' + host + '\\r\\nconnection: close\\r\\n\\r\\n');
    });
    let got = '';
    s.setEncoding('latin1').on('data', (c) => { got += c; });
    s.once('end', () => { s.destroy(); /^HTTP\\/1\\.1 401 /.test(got) ? resolve() : reject(new Error(got.slice(0, 40))); });
    s.once('error', reject);
  });
}
const t0 = Date.now();
hosts.forEach((host, i) => {
  let k = 0;
  const tick = () => { probe(host).then(() => ok++, () => failed++); k++; if (k < Number(seconds)) setTimeout(tick, t0 + i * 20 + k * 1000 - Date.now()); };
  setTimeout(tick, i * 20);
});
setTimeout(() => { console.log(JSON.stringify({ ok, failed })); process.exit(0); }, Number(seconds) * 1000 + 3000);
`;
