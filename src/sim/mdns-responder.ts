/**
 * A small mDNS / DNS-SD responder (RFC 6762, 6763) for the simulated world: it publishes
 * services (PTR -> SRV, TXT) and host addresses (A, AAAA) and answers queries for them on
 * 224.0.0.251:5353. A one-shot query from a port other than 5353 gets a unicast answer to
 * that port, echoing the query's id and questions (RFC 6762 §6.7), as Avahi does.
 *
 * It joins the group on one interface (127.0.0.1 by default: in a network namespace, after
 * `ip link set lo multicast on; ip route add 224.0.0.0/4 dev lo`). Run as a program, it takes
 * its configuration as one JSON argument and prints `ready` once it listens, so a test can
 * start it inside a namespace with `ip netns exec NS node dist/sim/mdns-responder.js '{...}'`.
 */
import dgram from 'node:dgram';
import { pathToFileURL } from 'node:url';
import dnsPacket, { type Answer, type Question } from 'dns-packet';

/** A service instance to publish. */
export interface PublishedService {
  /** Instance label, e.g. `Build cache`. */
  instance: string;
  /** Service type without `.local`, e.g. `_docker-registry._tcp`. */
  type: string;
  /** Target host, e.g. `cache.local`. */
  host: string;
  port: number;
  txt?: Record<string, string>;
}

/** What the responder publishes. */
export interface MdnsResponderOptions {
  services?: PublishedService[];
  /** Host name -> addresses (IPv4 and IPv6). */
  hosts?: Record<string, string[]>;
  /** Interface address to join the group on; default 127.0.0.1. */
  interfaceAddress?: string;
  /** Answer PTR questions without the SRV/TXT/A additionals, so a browser must ask for them. */
  bareAnswers?: boolean;
}

/** A running responder. */
export interface MdnsResponder {
  /** Questions received, as `TYPE name`, oldest first (the last 1000). */
  readonly questions: string[];
  close(): Promise<void>;
}

const GROUP = '224.0.0.251';
const PORT = 5353;

const lower = (s: string) => s.toLowerCase().replace(/\.$/, '');

/** Start answering. Resolves once the socket listens and has joined the group. */
export function startMdnsResponder(options: MdnsResponderOptions): Promise<MdnsResponder> {
  const iface = options.interfaceAddress ?? '127.0.0.1';
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  const questions: string[] = [];
  socket.on('message', (buf, rinfo) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(buf);
    } catch {
      return;
    }
    if (query.type !== 'query' || !query.questions?.length) return;
    for (const q of query.questions) {
      questions.push(`${q.type} ${q.name}`);
      if (questions.length > 1000) questions.shift();
    }
    const { answers, additionals } = answer(options, query.questions);
    if (!answers.length) return;
    const legacy = rinfo.port !== PORT;
    const ttl = (a: Answer) => ({ ...a, ttl: legacy ? 10 : 120 }) as Answer;
    const reply = dnsPacket.encode({
      type: 'response',
      id: legacy ? query.id : 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: legacy ? query.questions : [],
      answers: answers.map(ttl),
      additionals: additionals.map(ttl),
    });
    socket.send(reply, legacy ? rinfo.port : PORT, legacy ? rinfo.address : GROUP);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(PORT, () => {
      socket.off('error', reject);
      socket.addMembership(GROUP, iface);
      socket.setMulticastInterface(iface);
      socket.setMulticastTTL(255);
      socket.setMulticastLoopback(true);
      resolve({ questions, close: () => new Promise((done) => socket.close(() => done())) });
    });
  });
}

/** The records answering `questions`. */
function answer(options: MdnsResponderOptions, asked: Question[]): { answers: Answer[]; additionals: Answer[] } {
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  const services = options.services ?? [];
  for (const q of asked) {
    const name = lower(q.name);
    for (const s of services) {
      const fqdn = `${s.instance}.${s.type}.local`;
      if (name === lower(`${s.type}.local`) && (q.type === 'PTR' || (q.type as string) === 'ANY')) {
        answers.push({ type: 'PTR', name: `${s.type}.local`, data: fqdn });
        if (!options.bareAnswers) additionals.push(...instanceRecords(s), ...hostRecords(options, s.host));
      }
      if (name === lower(fqdn)) {
        const records = instanceRecords(s).filter((r) => (q.type as string) === 'ANY' || r.type === q.type);
        answers.push(...records);
        if (records.some((r) => r.type === 'SRV') && !options.bareAnswers)
          additionals.push(...hostRecords(options, s.host));
      }
    }
    for (const host of Object.keys(options.hosts ?? {})) {
      if (name !== lower(host)) continue;
      answers.push(...hostRecords(options, host).filter((r) => (q.type as string) === 'ANY' || r.type === q.type));
    }
  }
  return { answers, additionals };
}

function instanceRecords(s: PublishedService): Answer[] {
  const fqdn = `${s.instance}.${s.type}.local`;
  const txt = Object.entries(s.txt ?? {}).map(([k, v]) => `${k}=${v}`);
  return [
    { type: 'SRV', name: fqdn, data: { priority: 0, weight: 0, port: s.port, target: s.host } },
    { type: 'TXT', name: fqdn, data: txt.length ? txt : [''] },
  ];
}

function hostRecords(options: MdnsResponderOptions, host: string): Answer[] {
  const addresses = Object.entries(options.hosts ?? {}).find(([h]) => lower(h) === lower(host))?.[1] ?? [];
  return addresses.map((data): Answer =>
    data.includes(':') ? { type: 'AAAA', name: host, data } : { type: 'A', name: host, data },
  );
}

// Run as a program: `node mdns-responder.js '{"services":[...],"hosts":{...}}'`; stops on SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = JSON.parse(process.argv[2] ?? '{}') as MdnsResponderOptions;
  void startMdnsResponder(options).then(
    (responder) => {
      process.stdout.write('ready\n');
      const stop = () => {
        void responder.close().then(() => process.exit(0));
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err: Error) => {
      process.stderr.write(`mdns-responder: ${err.message}\n`);
      process.exit(1);
    },
  );
}
