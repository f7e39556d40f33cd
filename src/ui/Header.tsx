/**
 * The header: what is watched (endpoints up/total, interval, elapsed time), whether this
 * is the DEMO world or a REPLAY (its speed and where it is in the log), whether the wrapped
 * push ended and how, where the log goes, and the verdict of the moment. The clock stops
 * when the session (or the replayed log) ended.
 */
import { Box, Text } from 'ink';
import os from 'node:os';
import { memo } from 'react';
import { fmtElapsed, truncate } from './text.js';
import { toneStyle, type Tone } from './theme.js';
import type { Verdict } from './verdict.js';

/** A replay's facts, from the replay command. */
export interface ReplayInfo {
  speed: number;
  /** Time of the log's last event (epoch ms), when known: the length of the replayed session. */
  logEndsAt?: number;
}

/** The header's data. */
export interface HeaderInfo {
  version: string;
  demo: boolean;
  up: number;
  total: number;
  intervalMs: number;
  startedAt?: number;
  /** The session ended (for a replay: the log did) at this time; the clock stops there. */
  endedAt?: number;
  logPath?: string | null;
  verdict: Verdict;
  replay?: ReplayInfo;
  /** The wrapped push's state in words (`push running`, `push FAILED, exit 1`) and its tone. */
  push?: { text: string; tone: Tone };
}

/** Props: the data, the time, the size (1 line in compact mode, 2 otherwise). */
export interface HeaderProps {
  info: HeaderInfo;
  now: number;
  lines: number;
  width: number;
  paused: boolean;
  color: boolean;
}

/** `~/...` for paths under the home folder. */
export function shortPath(p: string, home = os.homedir()): string {
  return home && p.startsWith(home + '/') ? `~${p.slice(home.length)}` : p;
}

/** Time since the start, stopped at the end. */
export function elapsedOf(info: Pick<HeaderInfo, 'startedAt' | 'endedAt'>, now: number): number | undefined {
  if (info.startedAt === undefined) return undefined;
  return Math.max(0, Math.min(now, info.endedAt ?? Infinity) - info.startedAt);
}

/** `REPLAY 10x 1m05s of 5m00s`, or `REPLAY: log ended at 5m00s`. */
export function replayText(info: HeaderInfo, now: number): string | undefined {
  if (!info.replay) return undefined;
  const elapsed = elapsedOf(info, now);
  if (info.endedAt !== undefined) return `REPLAY: log ended at ${fmtElapsed(elapsed ?? 0)}`;
  const of =
    info.replay.logEndsAt !== undefined && info.startedAt !== undefined
      ? ` of ${fmtElapsed(info.replay.logEndsAt - info.startedAt)}`
      : '';
  return `REPLAY ${info.replay.speed}x ${fmtElapsed(elapsed ?? 0)}${of}`;
}

/** The header. */
export const Header = memo(function Header({ info, now, lines, width, paused, color }: HeaderProps) {
  if (lines <= 0) return null;
  const elapsed = elapsedOf(info, now);
  const upTone = info.total && info.up === info.total ? 'ok' : info.up === 0 && info.total ? 'fail' : 'warn';
  const log = info.logPath ? `log ${shortPath(info.logPath)}` : 'no session log';
  const clock = info.replay
    ? ''
    : `  ${elapsed === undefined ? '-' : fmtElapsed(elapsed)}${info.endedAt ? ' (ended)' : ''}`;
  const facts = `up ${info.up}/${info.total}  every ${fmtElapsed(info.intervalMs)}${clock}`;
  const mark = (text: string) => (
    <Text {...toneStyle('warn', color)} inverse>
      {` ${text} `}
    </Text>
  );
  const badges = (
    <>
      {info.demo ? mark('DEMO') : null}
      {info.replay ? mark(replayText(info, now)!) : null}
      {paused ? <Text {...toneStyle('warn', color)}> PAUSED</Text> : null}
    </>
  );
  const push = info.push ? <Text {...toneStyle(info.push.tone, color)}> {info.push.text}</Text> : null;
  if (lines === 1) {
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-end">
          <Text {...toneStyle('title', color)}>gcrwatch </Text>
          {badges}
          <Text {...toneStyle(upTone, color)}>
            {' '}
            up {info.up}/{info.total}
          </Text>
          {push}
          <Text> | </Text>
          <Text {...toneStyle(info.verdict.tone, color)}>{info.verdict.text}</Text>
        </Text>
      </Box>
    );
  }
  return (
    <Box width={width} flexDirection="column" height={2}>
      <Text wrap="truncate-end">
        <Text {...toneStyle('title', color)}>gcrwatch {info.version} </Text>
        {badges}
        <Text {...toneStyle(upTone, color)}> {facts}</Text>
        {push}
        <Text {...toneStyle('dim', color)}> {log}</Text>
      </Text>
      <Text wrap="truncate-end" {...toneStyle(info.verdict.tone, color)}>
        {truncate(info.verdict.text, width)}
      </Text>
    </Box>
  );
});
