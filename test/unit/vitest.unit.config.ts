import { defineConfig } from 'vitest/config';

// Unit tests only: no Docker engine needed.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
  },
});
