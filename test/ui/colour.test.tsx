/**
 * Colour on and off. Ink's colours come from chalk, which decides at import time whether
 * the output can take colour, so FORCE_COLOR is set before anything imports Ink.
 */
import { afterAll, describe, expect, it } from 'vitest';

const saved = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = '1';
afterAll(() => {
  if (saved === undefined) delete process.env.FORCE_COLOR;
  else process.env.FORCE_COLOR = saved;
});

describe('colour', () => {
  it('colours health with colour on, and writes no escape at all with it off', async () => {
    const { render, cleanup } = await import('ink-testing-library');
    const { EndpointTable } = await import('../../src/ui/EndpointTable.js');
    const { endpointRows } = await import('../../src/ui/endpoint-rows.js');
    const { rounds, sessionStart, storeOf } = await import('./helpers/events.js');
    const store = storeOf([
      sessionStart(['ok.example', 'bad.example']),
      ...rounds('ok.example', [5, 5]),
      ...rounds('bad.example', [5, undefined]),
    ]);
    const rows = endpointRows(store.getSnapshot());
    const on = render(
      <EndpointTable rows={rows} selectedId="ok.example" width={100} visibleRows={2} color />,
    ).lastFrame()!;
    expect(on).toContain('\x1b[32mOK  ');
    expect(on).toMatch(/\x1b\[31m(\x1b\[1m)?FAIL/);
    const off = render(
      <EndpointTable rows={rows} selectedId="ok.example" width={100} visibleRows={2} color={false} />,
    ).lastFrame()!;
    // Bold marks the selected row; no colour code (30-37, 90-97) appears.
    expect(off).not.toMatch(/\x1b\[(3[0-7]|9[0-7])m/);
    expect(off).toContain('FAIL');
    cleanup();
  });
});
