import { parseArgs } from 'node:util';
import { openRuntime } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { enrollBranch } from '../sync/central-apply.ts';

export const BRANCH_HELP = `  branch enroll --office ID [--name TEXT]
                     (central) create a branch node for an office; prints its settings and token once
`;

/** `schalter branch enroll`: run against the central database; the output goes into the branch PC's environment. */
export async function runBranchCommand(args: string[], config: Config): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'enroll') {
    process.stderr.write(`schalter branch: unknown subcommand "${sub ?? ''}"\n${BRANCH_HELP}`);
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { office: { type: 'string' }, name: { type: 'string' } }, strict: true });
  if (!values.office) {
    process.stderr.write('schalter branch enroll: --office is required\n');
    return 2;
  }
  const runtime = await openRuntime(config, () => {});
  try {
    const { branchId, token } = await enrollBranch(runtime.ctx, { officeId: values.office, name: values.name, actor: 'cli' });
    process.stdout.write(
      [
        '# Zweigstelle angelegt / branch node enrolled. Das Token wird nur jetzt angezeigt / the token is shown only now.',
        'SCHALTER_ROLE=branch',
        `SCHALTER_OFFICE=${values.office}`,
        `SCHALTER_BRANCH_ID=${branchId}`,
        `SCHALTER_BRANCH_TOKEN=${token}`,
        `SCHALTER_CENTRAL_URL=${config.publicUrl}`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await runtime.shutdown();
  }
}
