import { type ChatOptions, ChatRepl } from '../chat/repl.js';
import { withApp } from '../with-app.js';

/** `pyclaw chat`: a REPL over one session at a time. */
export function chat(options: ChatOptions): Promise<void> {
  return withApp((app) => new ChatRepl(app, options).run());
}
