/** The TCP phase: a connection to one address, open, or a classified failure. */
import net from 'node:net';
import { runPhase } from './run-phase.js';
import type { PhaseContext, PhaseResult } from './types.js';

/** Where to connect. */
export interface TcpEndpoint {
  address: string;
  port: number;
}

/**
 * Open a TCP connection to `address:port`, timed from the connect attempt itself
 * ('connectionAttempt', emitted just before the system call) to the connection: setting up a
 * Socket costs ~0.4 ms of JavaScript before the attempt, which is this process's time, not
 * the network's (curl's time_connect has no such part). Fails with the socket's error
 * (ECONNREFUSED, ECONNRESET, EHOSTUNREACH, ...); the socket is destroyed on failure or abort.
 */
export function probeTcp(ctx: PhaseContext, endpoint: TcpEndpoint): Promise<PhaseResult<net.Socket>> {
  return runPhase(ctx, 'connect', (end) => {
    const socket = net.connect({ host: endpoint.address, port: endpoint.port, noDelay: true });
    let attemptAt = ctx.clock.now();
    socket.once('connectionAttempt', () => {
      attemptAt = ctx.clock.now();
    });
    const onError = (err: Error) => {
      socket.destroy();
      end.fail(err);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      end.ok(socket, ctx.clock.now() - attemptAt);
    });
    return () => socket.destroy();
  });
}
