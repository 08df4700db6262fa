#!/usr/bin/env node
// `npm run bench -- <scenario> [options]`: load scenarios that print JSON figures.
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');
