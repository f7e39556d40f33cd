/**
 * logrus, the Go logging library of dockerd, podman and skopeo, prints
 * `time="..." level=warning msg="..."` when its output is not a terminal and
 * `WARN[0000] ...` when it is. Pure parsing, no I/O.
 */

const LOGRUS = /^time="[^"]*" level=(\w+) msg="((?:[^"\\]|\\.)*)"/;
const LOGRUS_TTY = /^(WARN|ERRO|FATA|INFO|DEBU|TRAC|PANI)\[\d+\] (.*)$/;
const TTY_LEVELS: Record<string, string> = {
  WARN: 'warning',
  ERRO: 'error',
  FATA: 'fatal',
  INFO: 'info',
  DEBU: 'debug',
  TRAC: 'trace',
  PANI: 'panic',
};

/** A logrus line (`time=... level=... msg="..."`, or `WARN[0000] ...` on a terminal) split up. */
export function parseLogrusLine(text: string): { level: string; message: string } | undefined {
  const plain = LOGRUS.exec(text);
  if (plain) return { level: plain[1]!, message: unquoteGo(plain[2]!) };
  const tty = LOGRUS_TTY.exec(text);
  if (tty) return { level: TTY_LEVELS[tty[1]!]!, message: tty[2]! };
  return undefined;
}

/** Undo Go's %q escaping of a logrus message (close enough to JSON's for what tools print). */
function unquoteGo(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
}
