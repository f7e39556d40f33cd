import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // End-to-end suites share root-only resources (network namespaces, dockerd);
    // files run in parallel, but each world gets a unique name.
    pool: 'forks',
    reporters: ['default'],
  },
});
