import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The stylesheets and scripts in src/web are read at start. Resolved from the project root, which
// is one folder up both from this file (src/) and from the bundle bin/schalter.js runs (dist/).
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export function webFile(name: string): string {
  return path.join(projectRoot, 'src', 'web', name);
}

/** A file of examples/ (the demo town, examples/musterstadt.yaml), resolved the same way. */
export function exampleFile(name: string): string {
  return path.join(projectRoot, 'examples', name);
}
