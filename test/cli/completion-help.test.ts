/** `--help` of every command has examples; `completion bash|zsh` scripts complete in real shells. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every command path of the program, read from the root help and each command's help. */
async function commandPaths(): Promise<string[][]> {
  const paths: string[][] = [[]];
  for (let i = 0; i < paths.length; i++) {
    const help = (await runCli([...paths[i]!, '--help'])).stdout;
    const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
    for (const m of section.matchAll(/^ {2}(\w[\w-]*)/gm)) if (m[1] !== 'help') paths.push([...paths[i]!, m[1]!]);
  }
  return paths;
}

describe('--help', () => {
  it('every command explains itself with examples, and exits 0', async () => {
    const paths = await commandPaths();
    expect(paths.map((p) => p.join(' '))).toEqual(
      expect.arrayContaining(['', 'discover', 'config', 'config print', 'completion']),
    );
    for (const p of paths) {
      const r = await runCli([...p, '--help']);
      expect(r.code, p.join(' ')).toBe(0);
      expect(r.stdout, `gcrwatch ${p.join(' ')} --help`).toMatch(/^Examples:\n {2}.*gcrwatch /m);
    }
  });

  it('an unknown shell is a usage error', async () => {
    const r = await runCli(['completion', 'fish']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('gcrwatch: completion: "fish" is not a supported shell (bash or zsh)');
  });
});

describe('bash completion', () => {
  const script = path.join(dir, 'gcrwatch.bash');
  function complete(words: string[]): string[] {
    const out = execFileSync(
      'bash',
      [
        '-c',
        `source "${script}"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _gcrwatch; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8' },
    );
    return out.split('\n').filter(Boolean);
  }

  it('completes commands, options per command, and files after a file option', async () => {
    writeFileSync(script, (await runCli(['completion', 'bash'])).stdout);
    expect(complete(['gcrwatch', '--inte'])).toEqual(['--interval']);
    expect(complete(['gcrwatch', 'disc'])).toEqual(['discover']);
    expect(complete(['gcrwatch', 'discover', '--'])).toEqual(['--wait', '--json', '--help']);
    expect(complete(['gcrwatch', 'config', ''])).toEqual(['print', '--help']);
    expect(complete(['gcrwatch', 'completion', ''])).toEqual(['bash', 'zsh', '--help']);
    expect(complete(['gcrwatch', '--interval', ''])).toEqual([]);
    expect(complete(['gcrwatch', '--config', path.join(dir, 'gcrwatch.b')])).toEqual([script]);
  });
});

describeWithPrereqs('zsh completion', ['zsh'], () => {
  it('completes options and subcommands in an interactive zsh', async () => {
    const fpathDir = path.join(dir, 'zfunc');
    execFileSync('mkdir', ['-p', fpathDir]);
    writeFileSync(path.join(fpathDir, '_gcrwatch'), (await runCli(['completion', 'zsh'])).stdout);
    execFileSync('zsh', ['-n', path.join(fpathDir, '_gcrwatch')]);
    // Drive a real interactive zsh through a pseudo-terminal, press TAB, read the screen.
    const driver = path.join(dir, 'drive.zsh');
    writeFileSync(
      driver,
      `zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z 'PS1="%% "; fpath=(${fpathDir} $fpath); autoload -U compinit; compinit -u -D; gcrwatch() { : }'
zpty -n -w z "$1"$'\\t'
# Read until the line editor has drawn the completion (or 20 s pass): a loaded machine is slow.
local out="" chunk
integer i
for (( i = 0; i < 200; i++ )); do
  while zpty -r -t z chunk; do out+="$chunk"; done
  [[ "$out" == *"$2"* ]] && break
  sleep 0.1
done
while zpty -r -t z chunk; do out+="$chunk"; done
print -r -- "$out" | sed 's/\\x1b\\[[0-9;?]*[a-zA-Z]//g' | tr '\\r' '\\n'
zpty -d z
`,
    );
    // The line editor redraws with bells and backspaces: apply them as a terminal would.
    const screen = (line: string, awaited: string) => {
      let text = execFileSync('zsh', ['-f', driver, line, awaited], { encoding: 'utf8', timeout: 30_000 }).replace(
        /\x07/g,
        '',
      );
      while (/[^\x08\n]\x08/.test(text)) text = text.replace(/[^\x08\n]\x08/g, '');
      return text;
    };
    expect(screen('gcrwatch --inte', 'interval')).toMatch(/gcrwatch --interval $/m);
    expect(screen('gcrwatch discover --', 'how long to listen')).toMatch(/--wait\s+-- how long to listen for answers/);
    expect(screen('gcrwatch config pr', 'print')).toMatch(/gcrwatch config print $/m);
  }, 60_000);
});
