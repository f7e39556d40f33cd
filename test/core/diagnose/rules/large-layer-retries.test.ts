import { describe, expect, it } from 'vitest';
import { largeLayerRetries } from '../../../../src/core/diagnose/rules/large-layer-retries.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

function push(size: number | undefined, retries: number) {
  const b = new SessionBuilder(161)
    .start(['gcr.io'], { push: 'gcr.io' })
    .at(1)
    .pushStart('gcr.io/p/a:1')
    .layer('small', 'pushing', 1_000_000)
    .layer('big', 'pushing', size)
    .at(5)
    .layer('small', 'pushed');
  for (let i = 1; i <= retries; i++) b.at(10 * i).retry('big', i, 'connection reset by peer');
  return b;
}

describe('large-layer-retries', () => {
  it('is sure for a layer over 1 GB retried twice', () => {
    const [f] = conclude(largeLayerRetries, push(1_500_000_000, 2));
    expect(f).toMatchObject({ code: 'image.large_layer_retries', category: 'image', confidence: 'high' });
    expect(f!.summary).toContain('1.5 GB');
    expect(f!.advice).toContain('multi-stage');
    expect(f!.evidence[1]).toBe('1 other layer(s) pushed without a retry');
  });

  it('says it with low confidence when the size is unknown', () => {
    expect(conclude(largeLayerRetries, push(undefined, 3))[0]).toMatchObject({ confidence: 'low' });
  });

  it('does not blame small layers or few retries', () => {
    expect(conclude(largeLayerRetries, push(50_000_000, 5))).toEqual([]);
    expect(conclude(largeLayerRetries, push(undefined, 2))).toEqual([]);
  });
});
