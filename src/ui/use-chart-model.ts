/** The dashboard's chart model, memoised on what the chart draws. */
import { useMemo } from 'react';
import type { StoreSnapshot } from '../core/store.js';
import { buildChartModel } from './chart-model.js';
import type { Layout } from './layout.js';
import type { UiState } from './ui-state.js';

/**
 * The chart's model, worked out again only when what it draws changed: the selected
 * target's snapshot (a new round), the compared series, the markers, the size or the options.
 */
export function useChartModel(
  snapshot: StoreSnapshot,
  selectedId: string | undefined,
  ui: UiState,
  layout: Layout,
  width: number,
) {
  const target = selectedId === undefined ? undefined : snapshot.targets.get(selectedId);
  const compared =
    ui.compare.kind === 'median'
      ? snapshot.targets
      : ui.compare.kind === 'target'
        ? snapshot.targets.get(ui.compare.id)
        : undefined;
  const { phase, compare } = ui;
  const until = ui.paused?.at;
  return useMemo(
    () =>
      layout.chartHeight && target
        ? buildChartModel({ snapshot, targetId: selectedId, phase, compare, width, height: layout.chartHeight, until })
        : undefined,
    // `snapshot` as a whole changes with every round of any target: only the parts drawn count.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [target, compared, snapshot.markers, snapshot.start, phase, compare, until, layout.chartHeight, width],
  );
}
