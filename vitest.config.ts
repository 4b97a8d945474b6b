import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Integration tests build images and run containers: give them room, and keep
    // them from starving each other on a 2-core machine.
    testTimeout: 300_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
