/**
 * The parser of each push tool. podman, buildah and skopeo share one parser because they
 * share the library that prints their output (containers/image).
 */
import type { PushLineParser } from '../parser-state.js';
import type { PushTool } from '../push-command.js';
import { parseContainersImageLine } from './containers-image.js';
import { parseCranePushLine } from './crane.js';
import { parseDockerPushLine } from './docker.js';
import { parseGenericLine } from './generic.js';

const PARSERS: Record<PushTool, PushLineParser> = {
  docker: parseDockerPushLine,
  podman: parseContainersImageLine,
  buildah: parseContainersImageLine,
  skopeo: parseContainersImageLine,
  crane: parseCranePushLine,
  generic: parseGenericLine,
};

/** The line parser for `tool`. */
export function parserFor(tool: PushTool): PushLineParser {
  return PARSERS[tool];
}
