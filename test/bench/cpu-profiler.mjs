// Preloaded into the platform's Node process (NODE_OPTIONS=--import) when the bench profiles a scenario:
// Node refuses --cpu-prof in NODE_OPTIONS, so this starts the V8 profiler through the inspector and writes
// the profile when the process exits. Plain JavaScript because it loads before tsx is registered.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.LEADFLOW_BENCH_CPU_PROFILE_DIR;
if (dir && isMainThread) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // An in-process inspector session answers synchronously, so this completes inside the exit handler.
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `platform-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
