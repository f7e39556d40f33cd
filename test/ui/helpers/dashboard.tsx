/** Mounting the whole dashboard on a fake terminal for a test: the props every test gives, its own on top. */
import { vi } from 'vitest';
import type { SessionStore } from '../../../src/core/store.js';
import { Dashboard, type DashboardProps } from '../../../src/ui/Dashboard.js';
import { T0 } from './events.js';
import { renderAt, type Rendered } from './render-at.js';

/** The dashboard over `store` at `columns` x `rows`, its clock at `now` (12 s after T0 unless said). */
export function mountDashboard(
  store: SessionStore,
  columns: number,
  rows: number,
  extra: Partial<DashboardProps> = {},
): { r: Rendered; props: DashboardProps } {
  const props: DashboardProps = {
    store,
    version: '0.1.0',
    color: false,
    interactive: true,
    now: () => T0 + 12_000,
    refreshMs: 10,
    onQuit: vi.fn(),
    onInterrupt: vi.fn(),
    ...extra,
  };
  return { r: renderAt(<Dashboard {...props} />, columns, rows), props };
}

/** True for a frame that shows the main dashboard (its chart). */
export const dashboardShown = (frame: string): boolean => frame.includes('latency ms');
