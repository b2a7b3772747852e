import pc from 'picocolors';
import { type TurnPack, turnPacks } from '../../runtime/index.js';
import { printJson } from '../output.js';
import { type JsonOption, withApp } from '../with-app.js';

export function show(turn: string, options: JsonOption & { session?: string }): Promise<void> {
  return withApp(async (app) => {
    const packs = await turnPacks(app, turn, options.session);
    if (options.json) return printJson(packs);
    for (const pack of packs) printPack(pack);
  });
}

function printPack({
  sessionId,
  turnId,
  stepId,
  seq,
  packHash,
  packArtifact,
  patchedFrom,
  pack,
}: TurnPack): void {
  const stored = packArtifact ?? `sha256:${packHash}, a patch of event #${patchedFrom}'s pack`;
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const { budgets } = pack;
  out(
    pc.bold(`pack for ${stepId ?? 'a model call'} of turn ${turnId} (session ${sessionId}, event #${seq})`),
  );
  out(
    `${pack.totalTokens} of ${budgets.total} tokens  (window ${budgets.window}, ${budgets.reserveOutput} kept for the answer, provider ratio ${budgets.ratio.toFixed(2)})  ${stored}`,
  );
  for (const section of pack.sections) {
    out();
    out(pc.bold(`── ${section.section}  ${section.tokens}/${section.budget} tokens`));
    if (section.text !== '') out(section.text.replace(/^/gm, '  '));
    for (const item of pack.telemetry.filter((entry) => entry.section === section.section)) {
      const mark =
        item.decision === 'included' ? pc.green : item.decision === 'truncated' ? pc.yellow : pc.red;
      out(
        `  ${mark(item.decision.padEnd(9))} ${item.ref}  ${item.tokens} tokens${item.reason ? `  — ${item.reason}` : ''}`,
      );
    }
  }
  out();
}
