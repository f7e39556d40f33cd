/**
 * Whether to colour the output. `--no-color` wins; then FORCE_COLOR (any value but `0` or
 * `false` forces colour, as chalk reads it); then NO_COLOR (present and not empty: no
 * colour, https://no-color.org).
 */
export function colorWanted(flagColor: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (flagColor === false) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return !env.NO_COLOR;
}
