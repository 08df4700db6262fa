import { parseArgs } from 'node:util';
import { openRuntime } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { enrollBranch, revokeBranch } from '../sync/central-apply.ts';
import { domainErrorText } from './cli-errors.ts';

export const BRANCH_HELP = `  branch enroll --office ID [--name TEXT]
                     (central) create a branch node for an office; prints its settings and token once
  branch revoke --branch ID
                     (central) the node's token stops working (a stolen or retired office PC); the
                     office's staff choose new branch PINs at their next central login
`;

/** `schalter branch enroll`: run against the central database; the output goes into the branch PC's environment. */
export async function runBranchCommand(args: string[], config: Config): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'revoke') return runRevoke(rest, config);
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

async function runRevoke(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({ args, options: { branch: { type: 'string' } }, strict: true });
  if (!values.branch) {
    process.stderr.write('schalter branch revoke: --branch is required\n');
    return 2;
  }
  const runtime = await openRuntime(config, () => {});
  try {
    const { officeId, clearedPins } = await revokeBranch(runtime.ctx, { branchId: values.branch, actor: 'cli' });
    process.stderr.write(
      `Zweigstelle ${values.branch} widerrufen / branch node revoked (${officeId}); ${clearedPins} PINs gelöscht / branch PINs cleared — ` +
        'neue PINs bei der nächsten Anmeldung in der Zentrale / new PINs at the next central login\n',
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    process.stderr.write(`${domainErrorText(error, 'schalter branch revoke')}\n`);
    return 1;
  } finally {
    await runtime.shutdown();
  }
}
