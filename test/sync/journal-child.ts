// A branch's journal writer and uploader, small enough to start 200 times: the SIGKILL test bundles
// this file (esbuild) and kills it at random points. Lines on stdout tell the test how far it got;
// "ack" is printed only after the entry is fsync'd — the moment a counter would confirm the action.
import { randomUUID } from 'node:crypto';
import { formatHlc, HLC_ZERO, hlcTick, parseHlc } from '../../src/domain/hlc.ts';
import { openJournalFile } from '../../src/sync/journal-file.ts';
import { postEntries } from '../../src/sync/uploader.ts';

const env = process.env;
const options = { centralUrl: env.CENTRAL_URL!, branchId: env.BRANCH_ID!, token: env.BRANCH_TOKEN!, requestTimeoutMs: 10_000 };
const say = (line: string) => process.stdout.write(`${line}\n`);

const file = openJournalFile(env.JOURNAL_FILE!);
const existing = file.entries();
let seq = existing.reduce((max, e) => Math.max(max, e.seq), 0);
let clock = existing.length > 0 ? parseHlc(existing.at(-1)!.hlc) : HLC_ZERO;
say(`ready ${seq}`);

const upload = async () => {
  say('upload-sent');
  let { highWater } = await postEntries(options, []);
  for (;;) {
    const batch = file
      .entries()
      .filter((e) => e.seq > highWater)
      .slice(0, 10);
    if (batch.length === 0) break;
    ({ highWater } = await postEntries(options, batch));
  }
  say(`upload-done ${highWater}`);
};

const ops = Number(env.OPS ?? 0);
for (let i = 0; i < ops; i++) {
  seq++;
  clock = hlcTick(clock, Date.now());
  const at = new Date(Date.parse('2026-11-25T08:00:00+01:00') + seq * 1000).toISOString();
  const counterNumber = 1 + (seq % 3);
  const entry = {
    opId: randomUUID(),
    branchId: options.branchId,
    seq,
    hlc: formatHlc(clock),
    command: {
      type: seq % 2 ? 'counter.open' : 'counter.close',
      officeId: 'test',
      payload: { counterNumber },
      actor: env.BRANCH_ACTOR!,
      at,
    } as never,
  };
  say(`appending ${seq}`);
  file.append(entry);
  say(`ack ${seq} ${entry.opId}`);
  if (seq % 4 === 0) await upload();
}
if (env.DRAIN) await upload();
say('done');
file.close();
