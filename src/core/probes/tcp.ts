/** TCP connect to one address: the socket, open, or a classified failure. */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Measured } from './run-phase.js';

/**
 * Open a TCP connection to `address:port`. Resolves with the connected socket, measured from
 * the connect attempt itself ('connectionAttempt', emitted just before the system call) to
 * the connection: setting up a Socket costs ~0.4 ms of JavaScript before the attempt, which
 * is this process's time, not the network's (curl's time_connect has no such part).
 * Rejects with the socket error (ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ...) or the abort
 * reason. The socket is destroyed on failure or abort.
 */
export function probeTcp(address: string, port: number, signal: AbortSignal): Promise<Measured<net.Socket>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, noDelay: true });
    let attemptAt = performance.now();
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    const cleanup = () => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connectionAttempt', () => {
      attemptAt = performance.now();
    });
    socket.once('connect', () => {
      const ms = performance.now() - attemptAt;
      cleanup();
      socket.removeAllListeners('error');
      resolve(new Measured(socket, ms));
    });
    socket.once('error', (err) => {
      cleanup();
      socket.destroy();
      reject(err);
    });
  });
}
