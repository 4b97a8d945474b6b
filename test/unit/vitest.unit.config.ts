import { defineConfig } from 'vitest/config';

// Unit tests only: no Docker engine needed, so no global setup (it pings the engine).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
  },
});
