/** `gcrwatch completion bash|zsh`: print a completion script for the shell. */
import { UsageError } from '../usage-error.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  source <(gcrwatch completion bash)                        in ~/.bashrc
  gcrwatch completion bash > ~/.local/share/bash-completion/completions/gcrwatch
  gcrwatch completion zsh > "\${fpath[1]}/_gcrwatch"         then restart zsh (compinit)`;

/** Register `completion`. */
export const registerCompletionCommand: RegisterCommand = (program, ctx) => {
  program
    .command('completion')
    .description('print a shell completion script (bash or zsh)')
    .argument('<shell>', 'bash or zsh')
    .addHelpText('after', EXAMPLES)
    .action(async (shell: string) => {
      const { bashCompletion, zshCompletion } = await import('../completion.js');
      const script = shell === 'bash' ? bashCompletion(program) : shell === 'zsh' ? zshCompletion(program) : undefined;
      if (script === undefined) throw new UsageError(`completion: "${shell}" is not a supported shell (bash or zsh)`);
      ctx.io.stdout.write(script);
      ctx.setResult(Promise.resolve(0));
    });
};
