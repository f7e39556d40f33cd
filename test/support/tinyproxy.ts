/**
 * A real HTTP proxy for the tests: tinyproxy (Debian package tinyproxy) in the foreground on
 * 127.0.0.1, with a config written per test. Stopped by its pid, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running tinyproxy. */
export interface Tinyproxy {
  port: number;
  url: string;
  /** What tinyproxy logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (tinyproxy cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function waitForListener(port: number, child: ChildProcess, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        reject(new Error(`tinyproxy exited with ${child.exitCode}`));
        return;
      }
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error('tinyproxy did not start listening'));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Start tinyproxy with `extra` config lines (`ConnectPort 443`, `BasicAuth u p`, `Deny 127.0.0.1`). */
export async function startTinyproxy(extra: string[] = []): Promise<Tinyproxy> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-tinyproxy-'));
  const port = await freePort();
  const conf = path.join(dir, 'tinyproxy.conf');
  const logFile = path.join(dir, 'tinyproxy.log');
  writeFileSync(
    conf,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      'MaxClients 50',
      'LogLevel Info',
      `LogFile "${logFile}"`,
      ...extra,
      '',
    ].join('\n'),
  );
  const child = spawn('tinyproxy', ['-d', '-c', conf], { stdio: 'ignore' });
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForListener(port, child, Date.now() + 5000);
  } catch (err) {
    await stop();
    throw err;
  }
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  return { port, url: `http://127.0.0.1:${port}`, log, stop };
}
