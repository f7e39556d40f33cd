/**
 * The header: what is watched (endpoints up/total, interval, elapsed time), whether this
 * is the DEMO world, where the log goes, and the verdict of the moment.
 */
import { Box, Text } from 'ink';
import os from 'node:os';
import { fmtElapsed } from './text.js';
import { toneStyle } from './theme.js';
import type { Verdict } from './verdict.js';

/** The header's data. */
export interface HeaderInfo {
  version: string;
  demo: boolean;
  up: number;
  total: number;
  intervalMs: number;
  startedAt?: number;
  logPath?: string | null;
  verdict: Verdict;
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

/** The header. */
export function Header({ info, now, lines, width, paused, color }: HeaderProps) {
  if (lines <= 0) return null;
  const elapsed = info.startedAt !== undefined ? fmtElapsed(now - info.startedAt) : '-';
  const upTone = info.total && info.up === info.total ? 'ok' : info.up === 0 && info.total ? 'fail' : 'warn';
  const log = info.logPath ? `log ${shortPath(info.logPath)}` : 'no session log';
  const facts = `up ${info.up}/${info.total}  every ${fmtElapsed(info.intervalMs)}  ${elapsed}`;
  const demo = info.demo ? (
    <Text {...toneStyle('warn', color)} inverse>
      {' '}
      DEMO{' '}
    </Text>
  ) : null;
  const pausedMark = paused ? <Text {...toneStyle('warn', color)}> PAUSED</Text> : null;
  if (lines === 1) {
    return (
      <Box width={width} height={1}>
        <Text wrap="truncate-end">
          <Text {...toneStyle('title', color)}>gcrwatch </Text>
          {demo}
          {pausedMark}
          <Text {...toneStyle(upTone, color)}>
            {' '}
            up {info.up}/{info.total}
          </Text>
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
        {demo}
        {pausedMark}
        <Text {...toneStyle(upTone, color)}> {facts}</Text>
        <Text {...toneStyle('dim', color)}> {log}</Text>
      </Text>
      <Text wrap="truncate-end" {...toneStyle(info.verdict.tone, color)}>
        {info.verdict.text}
      </Text>
    </Box>
  );
}
