export const slashCommandHelp: readonly [string, string][] = [
  ['/new', 'start a new session with your next message'],
  ['/session [id]', 'show the current session, or switch to another one'],
  ['/approve [id]', 'approve the pending tool call (or the one with this id) and go on'],
  ['/deny [id]', 'deny the pending tool call (or the one with this id) and go on'],
  ['/panic [off|status]', 'stop every running tool call and block new ones everywhere (off releases)'],
  ['/help', 'this list'],
  ['/exit', 'leave (Ctrl+D does too; Ctrl+C stops a running turn)'],
];

export type SlashCommand =
  | { kind: 'new' | 'help' | 'exit' }
  | { kind: 'session'; id?: string }
  | { kind: 'approve' | 'deny'; id?: string }
  | { kind: 'panic'; action: 'on' | 'off' | 'status' }
  | { kind: 'unknown'; text: string };

/** Undefined when the line is a message for the agent rather than a command. */
export function parseSlashCommand(line: string): SlashCommand | undefined {
  if (!line.startsWith('/')) return undefined;
  const [name = '', argument, ...rest] = line.slice(1).trim().split(/\s+/);
  if (rest.length > 0) return { kind: 'unknown', text: line };
  switch (name) {
    case 'new':
    case 'help':
    case 'exit':
      return argument === undefined ? { kind: name } : { kind: 'unknown', text: line };
    case 'session':
    case 'approve':
    case 'deny':
      return { kind: name, id: argument };
    case 'panic':
      return argument === undefined || argument === 'on' || argument === 'off' || argument === 'status'
        ? { kind: 'panic', action: argument ?? 'on' }
        : { kind: 'unknown', text: line };
    default:
      return { kind: 'unknown', text: line };
  }
}
