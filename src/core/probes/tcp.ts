/** TCP connect to one address: the socket, open, or a classified failure. */
import net from 'node:net';

/**
 * Open a TCP connection to `address:port`. Resolves with the connected socket; rejects with
 * the socket error (ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ...) or the abort reason. The
 * socket is destroyed on failure or abort.
 */
export function probeTcp(address: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, noDelay: true });
    const onAbort = () => { socket.destroy(); reject(signal.reason); };
    const cleanup = () => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => { cleanup(); socket.removeAllListeners('error'); resolve(socket); });
    socket.once('error', (err) => { cleanup(); socket.destroy(); reject(err); });
  });
}
