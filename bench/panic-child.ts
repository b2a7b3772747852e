import { PanicSwitch } from '../src/safety/index.js';
import { openDatabase } from '../src/storage/index.js';

// A process with one tool call running under the panic switch (see panic-latency.ts).
const db = openDatabase(process.argv[2] as string);
const panic = new PanicSwitch(db);
const keepAlive = setInterval(() => undefined, 60_000); // the panic poller alone does not keep a process up
await panic.guard(new AbortController().signal, (signal) => {
  process.stdout.write('running\n');
  return new Promise((resolve) => signal.addEventListener('abort', resolve));
});
process.stdout.write(`${Date.now()}\n`);
clearInterval(keepAlive);
db.close();
