/**
 * Rule: a very large layer keeps being retried while the others go through. Every retry
 * starts that layer's upload again, so a big layer on a flaky path may never finish: the
 * image side of the answer is a smaller layer. Size from `push.layer.totalBytes` when the
 * tool printed it; without a size the finding is stated with low confidence.
 */
import type { SessionEvent } from '../../events.js';
import { bytesWords, clock } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const LARGE_LAYER_RETRIES = 'large-layer-retries';

const LARGE = 1e9;
const BIGGISH = 300e6;
const MAX_LAYERS = 500;

interface Layer {
  retries: number;
  bytes?: number;
  firstRetry?: number;
  lastRetry?: number;
  pushed: boolean;
}

/** Create the rule. */
export function largeLayerRetries(): Rule {
  const layers = new Map<string, Layer>();
  const layerOf = (id: string): Layer | undefined => {
    let l = layers.get(id);
    if (!l && layers.size < MAX_LAYERS) layers.set(id, (l = { retries: 0, pushed: false }));
    return l;
  };
  return {
    name: LARGE_LAYER_RETRIES,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'push.start') {
        layers.clear();
        return true;
      }
      if (event.type === 'push.layer') {
        const l = layerOf(event.layer);
        if (!l) return false;
        if (event.totalBytes) l.bytes = Math.max(l.bytes ?? 0, event.totalBytes);
        if (event.state === 'pushed' || event.state === 'exists' || event.state === 'mounted') l.pushed = true;
        return Boolean(event.totalBytes);
      }
      if (event.type !== 'push.retry' || !event.layer) return false;
      const l = layerOf(event.layer);
      if (!l) return false;
      l.retries++;
      l.firstRetry ??= facts.now;
      l.lastRetry = facts.now;
      return true;
    },
    findings() {
      const [id, worst] = [...layers.entries()].sort((a, b) => b[1].retries - a[1].retries)[0] ?? [];
      if (!id || !worst) return [];
      const size = worst.bytes;
      const needed = size !== undefined && size >= LARGE ? 2 : 3;
      if (worst.retries < needed || (size !== undefined && size < BIGGISH)) return [];
      const others = [...layers.entries()].filter(([k, l]) => k !== id && l.pushed && l.retries === 0).length;
      const evidence = [
        `layer ${id}${size !== undefined ? ` (${bytesWords(size)})` : ''}: ${worst.retries} retries from ${clock(worst.firstRetry!)} to ${clock(worst.lastRetry!)}${worst.pushed ? ', finally pushed' : ''}`,
        `${others} other layer(s) pushed without a retry`,
      ];
      return [
        {
          code: 'image.large_layer_retries',
          category: 'image',
          summary: `Layer ${id}${size !== undefined ? `, ${bytesWords(size)},` : ''} was retried ${worst.retries} times: every retry uploads the whole layer again, so a large layer on a flaky path may never finish.`,
          evidence,
          // Docker states the size and the retries; without a size, that the layer is large is a guess.
          basis: size !== undefined ? 'stated' : 'inferred',
          coverage: size !== undefined && size >= LARGE ? 'full' : 'partial',
          advice:
            'Make the layer smaller: split large files across layers, use a multi-stage build so build tools and caches stay out of the final image, and add a .dockerignore for data, .git and build output.',
          boost: size !== undefined && size >= LARGE ? 4 : 0,
        } satisfies Finding,
      ];
    },
  };
}
