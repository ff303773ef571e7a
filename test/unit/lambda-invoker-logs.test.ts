import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../support/platform-process.js';
import { LambdaInvoker } from '../../infra/local/lambda-invoker.js';

afterEach(() => vi.restoreAllMocks());

describe('the local invoker and the shared logger', () => {
  it('names the function of each invocation in its log lines although both run at once on one logger', async () => {
    const lines: string[] = [];
    // Powertools writes WARN lines to stderr, others to stdout.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
        const text = String(chunk);
        if (!text.includes('fake handler warns')) return write(chunk, ...(rest as []));
        lines.push(text);
        return true;
      });
    }
    // Both "functions" load the same module, so they share one logger, as notify and metrics do.
    const invoker = new LambdaInvoker(PROJECT_ROOT, () => 'test/support/fake-handlers/warn-after-pause.ts');
    // notify starts first and logs last, after metrics has been invoked (and logged) meanwhile.
    await Promise.all([
      invoker.invoke('notify', { waitMs: 150, label: 'from-notify' }),
      new Promise((r) => setTimeout(r, 20)).then(() => invoker.invoke('metrics', { waitMs: 0, label: 'from-metrics' })),
    ]);
    const parsed = lines.flatMap((l) => l.trim().split('\n')).map((l) => JSON.parse(l) as { label: string; function_name: string });
    expect(parsed.find((l) => l.label === 'from-notify')?.function_name).toBe('leadflow-notify');
    expect(parsed.find((l) => l.label === 'from-metrics')?.function_name).toBe('leadflow-metrics');
  });
});
