/**
 * gcrwatch's TUI in a detached tmux window of a fixed size, inside a world's namespace, for
 * measuring what the dashboard costs. tmux gets its own server socket (`-L`), so nothing of a
 * user's tmux is touched; the pane runs gcrwatch directly (`exec`), so the pane's pid is
 * gcrwatch's.
 */
import { existsSync } from 'node:fs';
import { BIN, ROOT, sleep } from './kit.mjs';

/** True when this build has the TUI (dist/ui/start-tui.js). */
export function tuiAvailable() {
  return existsSync(`${ROOT}dist/ui/start-tui.js`);
}

function quote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/**
 * Start `gcrwatch ARGS` in a tmux window of `cols`×`rows` in `world`'s namespace, with `env`
 * added to its environment. Returns `{ pid, capture(), stop() }`: `capture` prints the screen,
 * `stop` waits for gcrwatch to end (it must have a --duration) and then removes the tmux server.
 */
export async function startTuiInTmux(world, args, { cols = 120, rows = 40, env: extra = {} } = {}) {
  const socket = `gcrwatch-bench-${process.pid}`;
  // CI=… makes gcrwatch print plain lines instead of the TUI: the pane must not inherit it.
  const env = world.env({ TERM: 'xterm-256color', ...extra });
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  const command = `exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}`;
  const tmux = (...a) => world.run('tmux', ['-L', socket, ...a], { env, cwd: ROOT });
  const started = await tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(cols), '-y', String(rows), command);
  if (started.code !== 0) throw new Error(`tmux new-session failed: ${started.stderr.trim()}`);
  const panes = await tmux('list-panes', '-F', '#{pane_pid}');
  const pid = Number(panes.stdout.trim().split('\n')[0]);
  if (!pid) throw new Error(`no pane pid from tmux: ${panes.stdout} ${panes.stderr}`);
  return {
    pid,
    capture: async () => (await tmux('capture-pane', '-p')).stdout,
    stop: async () => {
      for (let i = 0; i < 200 && existsSync(`/proc/${pid}`); i++) await sleep(100);
      await tmux('kill-server');
    },
  };
}
