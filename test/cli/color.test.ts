import { describe, expect, it } from 'vitest';
import { colorWanted } from '../../src/cli/color.js';

describe('colorWanted', () => {
  it('honours --no-color, then FORCE_COLOR, then NO_COLOR', () => {
    expect(colorWanted(undefined, {})).toBe(true);
    expect(colorWanted(false, { FORCE_COLOR: '1' })).toBe(false);
    expect(colorWanted(undefined, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(undefined, { NO_COLOR: '' })).toBe(true);
    expect(colorWanted(undefined, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(true);
    expect(colorWanted(undefined, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorWanted(undefined, { FORCE_COLOR: 'false' })).toBe(false);
  });
});
