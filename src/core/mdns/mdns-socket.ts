/**
 * The timed one-shot mDNS querier (RFC 6762 §6.7) of `.local` resolution: questions from an
 * ephemeral port to 224.0.0.251:5353 on every IPv4 interface, answered by unicast to that port,
 * so neither port 5353 (a system responder may hold it) nor the group is taken.
 * Not node-dns-sd (which `discover` uses): it sends nothing on a loopback-only host, waits 200 ms
 * before sending (counted as DNS time) and runs one discovery at a time (two `.local` targets).
 */
import dgram from 'node:dgram';
import os from 'node:os';
import dnsPacket, { type Answer, type Question } from 'dns-packet';

export const MDNS_GROUP = '224.0.0.251';
export const MDNS_PORT = 5353;

/** Records of one response, with the address that sent it. */
export interface MdnsResponse {
  from: string;
  records: Answer[];
}

/** An open querier: send questions, receive every response until closed. */
export interface MdnsQuerier {
  send(questions: Question[]): void;
  close(): void;
}

/** The IPv4 addresses of the interfaces to ask on, loopback included (a test namespace has only lo). */
export function queryInterfaces(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? [])
      if (info.family === 'IPv4' && !/^169\.254\./.test(info.address)) out.push(info.address);
  }
  return out.length ? out : ['127.0.0.1'];
}

/**
 * Open a querier; `onResponse` receives each decoded response (malformed packets are dropped).
 * Resolves once the socket is bound. Sending errors on one interface (no multicast route)
 * are ignored: another interface may still reach the responder.
 */
export function openMdnsQuerier(
  onResponse: (r: MdnsResponse) => void,
  interfaces = queryInterfaces(),
): Promise<MdnsQuerier> {
  const socket = dgram.createSocket({ type: 'udp4' });
  let id = Math.floor(Math.random() * 0xffff);
  let closed = false;
  socket.on('message', (buf, rinfo) => {
    let packet: dnsPacket.DecodedPacket;
    try {
      packet = dnsPacket.decode(buf);
    } catch {
      return;
    }
    if (packet.type !== 'response') return;
    onResponse({ from: rinfo.address, records: [...(packet.answers ?? []), ...(packet.additionals ?? [])] });
  });
  socket.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.off('error', reject);
      socket.setMulticastTTL(255);
      resolve({
        send(questions) {
          if (closed) return;
          id = (id + 1) & 0xffff;
          const packet = dnsPacket.encode({ type: 'query', id, questions });
          // One interface at a time: dgram resolves the destination on a later tick, so
          // switching the interface before the callback would send every copy on the last one.
          const sendOn = (i: number) => {
            if (closed || i >= interfaces.length) return;
            try {
              socket.setMulticastInterface(interfaces[i]!);
              socket.send(packet, MDNS_PORT, MDNS_GROUP, () => sendOn(i + 1));
            } catch {
              sendOn(i + 1); // This interface cannot send multicast; the others may.
            }
          };
          sendOn(0);
        },
        close() {
          if (closed) return;
          closed = true;
          socket.close();
        },
      });
    });
  });
}

/** Lower case without the trailing dot: mDNS names compare case-insensitively. */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** True for a host name that lives in multicast DNS (`*.local`). */
export function isMdnsName(host: string): boolean {
  return /\.local\.?$/i.test(host);
}
