/**
 * The header's verdict line: the session's verdict (`core/diagnose/verdict.ts`, the same one
 * `report` gives) as a line and a tone, its headline in the short form (category, and the
 * confidence when not high). Until a problem holds, the worst current error of
 * each category (the code that fails the most targets or credential checks right now), else
 * "all N endpoints answering".
 */
import type { Category } from '../core/errors.js';
import type { StoreSnapshot } from '../core/store.js';
import { findingShortHeadline, verdictOf as sessionVerdict } from '../core/diagnose/verdict.js';
import type { Tone } from './theme.js';

/** The verdict line and its tone. */
export interface Verdict {
  text: string;
  tone: Tone;
}

const CATEGORY_ORDER: readonly string[] = ['network', 'auth', 'registry', 'image', 'local'];

/** The verdict line for `state` (whose findings are those that hold now). */
export function verdictOf(state: Pick<StoreSnapshot, 'findings' | 'targets' | 'auth'>): Verdict {
  const v = sessionVerdict(state.findings.values());
  if (v.top) {
    const others = state.findings.size - 1;
    // One line: the category and the summary (with its host) first; `f` shows the code.
    return {
      text: `${findingShortHeadline(v.top)}: ${v.detail}${others > 0 ? ` (+${others} more)` : ''}`,
      tone: v.top.confidence === 'low' ? 'warn' : 'fail',
    };
  }
  const notes = v.notes ? ` (${v.notes} note${v.notes === 1 ? '' : 's'})` : '';
  const failing = currentFailures(state);
  if (failing.size) {
    const parts = [...failing.entries()]
      .sort(([a], [b]) => CATEGORY_ORDER.indexOf(a) - CATEGORY_ORDER.indexOf(b))
      .map(([category, byCode]) => {
        const [code, where] = [...byCode.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
        return `${category}: ${code} on ${where.slice(0, 3).join(', ')}${where.length > 3 ? ` +${where.length - 3}` : ''}`;
      });
    return { text: parts.join(' | '), tone: 'fail' };
  }
  const probed = [...state.targets.values()].filter((t) => t.last).length;
  if (!probed) return { text: 'waiting for the first probe rounds', tone: 'dim' };
  return { text: `all ${probed} endpoint${probed === 1 ? '' : 's'} answering${notes}`, tone: 'ok' };
}

/** category -> code -> where it fails now (target ids, credential check names). */
function currentFailures(
  state: Pick<StoreSnapshot, 'targets' | 'auth'>,
): Map<Category | string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  const add = (category: string, code: string, where: string) => {
    const byCode = out.get(category) ?? new Map<string, string[]>();
    byCode.set(code, [...(byCode.get(code) ?? []), where]);
    out.set(category, byCode);
  };
  for (const t of state.targets.values())
    if (t.last && !t.last.ok && t.last.error) add(t.last.error.category, t.last.error.code, t.info.id);
  for (const a of state.auth.values())
    if (!a.ok && a.error) add(a.error.category, a.error.code, `${a.view} credential${a.host ? ` ${a.host}` : ''}`);
  return out;
}
