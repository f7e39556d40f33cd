/**
 * The closed set of failure codes. Every failure gcrwatch reports — a probe, a push line, a
 * credential check — carries one of these codes and its category. Node's `err.code`
 * (ENOTFOUND, ECONNRESET, CERT_*, UND_ERR_*) is mapped onto this set in `classify.ts`, and
 * nowhere else. docs/errors.md's table says what `ERROR_CODES` says, row for row
 * (`test/core/errors.test.ts` checks it).
 */
import { AUTH_CODES } from './error-codes/auth.js';
import { NETWORK_CODES } from './error-codes/network.js';
import { PUSH_CODES } from './error-codes/push.js';

/** Where the trouble lies. */
export type Category = 'network' | 'auth' | 'image' | 'registry' | 'local';
export const CATEGORIES: readonly Category[] = ['network', 'auth', 'image', 'registry', 'local'];

/** The phase of a round a failure happened in. */
export type FailurePhase = 'dns' | 'connect' | 'proxy' | 'tls' | 'http' | 'auth' | 'push' | 'local';

/** A failure as it travels in events. */
export interface ProbeErrorInfo {
  code: ErrorCode;
  category: Category;
  phase?: FailurePhase;
  message: string;
}

/** What the closed set says of a code. */
export interface CodeSpec {
  category: Category;
  /** Whether waiting and trying again may help (docker's notion of retryable). */
  temporary: boolean;
  description: string;
}

/** Every code gcrwatch can report, with its category and meaning (by kind, in `error-codes/`). */
export const ERROR_CODES = { ...NETWORK_CODES, ...AUTH_CODES, ...PUSH_CODES } as const satisfies Record<
  string,
  CodeSpec
>;

/** A code from the closed set. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `code` is in the closed set. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** Build the error info of `code` with its category from the closed set. */
export function failure(code: ErrorCode, message: string, phase?: FailurePhase): ProbeErrorInfo {
  const info: ProbeErrorInfo = { code, category: ERROR_CODES[code].category, message };
  if (phase) info.phase = phase;
  return info;
}

/** Whether retrying may help, for a code of the closed set. */
export function isTemporary(code: ErrorCode): boolean {
  return ERROR_CODES[code].temporary;
}
