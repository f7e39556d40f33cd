/**
 * A fold of one push's events into what its end needs: the counts of `push.end` and the
 * plain summary (layers, retries with their causes, the final error, the digest). Pure and
 * bounded: retries and errors keep their first `MAX_KEPT` entries (a push gives up after a
 * handful), counts keep counting.
 */
import type {
  EventInput,
  LayerState,
  PushDigestEvent,
  PushEndEvent,
  PushErrorEvent,
  PushRetryEvent,
  PushStartEvent,
  SessionEvent,
} from '../events.js';

const MAX_KEPT = 100;

/** An event as emitted or as delivered: `t` is there once the bus has stamped it. */
type Seen<E> = Omit<E, 'v' | 't'> & { t?: string };

/** Everything known of one push. */
export interface PushReport {
  start?: Seen<PushStartEvent>;
  layers: Map<string, LayerState>;
  retries: Array<Seen<PushRetryEvent>>;
  retryCount: number;
  errors: Array<Seen<PushErrorEvent>>;
  digest?: Seen<PushDigestEvent>;
  end?: Seen<PushEndEvent>;
}

/** An empty report. */
export function newPushReport(): PushReport {
  return { layers: new Map(), retries: [], retryCount: 0, errors: [] };
}

/** Fold `event` into `report` (other event types are ignored). */
export function foldPushEvent(report: PushReport, event: SessionEvent | EventInput): void {
  switch (event.type) {
    case 'push.start':
      report.start = event;
      break;
    case 'push.layer':
      if (report.layers.size < 1000 || report.layers.has(event.layer)) report.layers.set(event.layer, event.state);
      break;
    case 'push.retry':
      report.retryCount++;
      if (report.retries.length < MAX_KEPT) report.retries.push(event);
      break;
    case 'push.error':
      if (report.errors.length < MAX_KEPT) report.errors.push(event);
      break;
    case 'push.digest':
      report.digest = event;
      break;
    case 'push.end':
      report.end = event;
      break;
    default:
      break;
  }
}

/** Layers per final state. */
export function layerCounts(report: PushReport): Partial<Record<LayerState, number>> {
  const counts: Partial<Record<LayerState, number>> = {};
  for (const s of report.layers.values()) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

/** The counts `push.end` carries: layers uploaded, layers the registry had (exists or mounted), retries. */
export function endCounts(report: PushReport): Pick<PushEndEvent, 'layersPushed' | 'layersExisting' | 'retries'> {
  const c = layerCounts(report);
  return {
    layersPushed: c.pushed ?? 0,
    layersExisting: (c.exists ?? 0) + (c.mounted ?? 0),
    retries: report.retryCount,
  };
}
