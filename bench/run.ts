const scenarios: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  booking: () => import('./booking.ts'),
  sync: () => import('./sync.ts'),
  resync: () => import('./resync.ts'),
  storm: () => import('./storm.ts'),
  closure: () => import('./closure.ts'),
  statistics: () => import('./statistics.ts'),
  'request-cpu': () => import('./request-cpu.ts'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name ? scenarios[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(scenarios).join('|')}> [--db postgres|pglite] [--seconds N]`);
  process.exit(2);
}
await (await load()).main(rest);
process.exit(0);
