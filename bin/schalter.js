#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so there is no build step between checkout and start.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
