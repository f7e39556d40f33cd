/**
 * The one-line verdict of the moment, for the header. The diagnosis's findings come first
 * (the one it ranks first); until there are findings, the worst current error
 * of each category: the code that fails the most targets (or credential checks) right now.
 */
import { topFinding as rankedFirst } from '../core/diagnose/rank.js';
import type { Category } from '../core/errors.js';
import type { DiagnosisEvent } from '../core/events.js';
import type { StoreSnapshot } from '../core/store.js';
import type { Tone } from './theme.js';

/** The verdict line and its tone. */
export interface Verdict {
  text: string;
  tone: Tone;
}

const CATEGORY_ORDER: readonly string[] = ['network', 'auth', 'registry', 'image', 'local'];

/** The verdict for `state`. */
export function verdictOf(state: Pick<StoreSnapshot, 'findings' | 'targets' | 'auth'>): Verdict {
  const finding = topFinding([...state.findings.values()]);
  if (finding) {
    const more = state.findings.size > 1 ? ` (+${state.findings.size - 1} more)` : '';
    return {
      text: `${finding.category}: ${finding.summary}${more}`,
      tone: finding.confidence === 'low' ? 'warn' : 'fail',
    };
  }
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
  return { text: `all ${probed} endpoint${probed === 1 ? '' : 's'} answering`, tone: 'ok' };
}

/** The finding the diagnosis ranks first (its score: how directly it answers, and how sure). */
export function topFinding(findings: readonly DiagnosisEvent[]): DiagnosisEvent | undefined {
  return rankedFirst(findings);
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
