import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, bundleFunction } from '../../infra/aws/bundling.js';
import { topology } from '../../infra/topology.js';

/** The per-function budget from DESIGN.md: 400 KB of minified code. */
const BUDGET_BYTES = 400 * 1024;

const outdir = mkdtempSync(join(tmpdir(), 'leadflow-bundles-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function outputInputs(metafile: Metafile): [string, number][] {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(BUNDLE_FILE))?.[1];
  return Object.entries(output?.inputs ?? {}).map(([path, input]) => [path, input.bytesInOutput]);
}

function largest(sizes: Iterable<[string, number]>, count: number): string[] {
  return [...sizes]
    .sort(([, a], [, b]) => b - a)
    .slice(0, count)
    .map(([name, bytes]) => `${name} (${kb(bytes)})`);
}

/** The input files that put the most bytes into the bundle, biggest first. */
function biggestInputs(metafile: Metafile, count: number): string[] {
  return largest(
    outputInputs(metafile).map(([path, bytes]) => [path.replace(/^.*node_modules\//, ''), bytes]),
    count,
  );
}

/** The same bytes summed per npm package (or per project folder), which usually names the culprit. */
function biggestPackages(metafile: Metafile, count: number): string[] {
  const totals = new Map<string, number>();
  for (const [path, bytes] of outputInputs(metafile)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
    totals.set(pkg, (totals.get(pkg) ?? 0) + bytes);
  }
  return largest(totals, count);
}

describe('function bundles', () => {
  it.each(Object.entries(topology.functions))('keep %s within 400 KB of minified code', async (name, spec) => {
    const { bytes, metafile } = await bundleFunction(spec.entry, join(outdir, name));
    if (bytes > BUDGET_BYTES) {
      expect.fail(
        `${name} bundles to ${bytes.toLocaleString('en')} bytes (${kb(bytes)}), over the ${kb(BUDGET_BYTES)} budget; ` +
          `biggest inputs: ${biggestInputs(metafile, 3).join(', ')}; ` +
          `by package: ${biggestPackages(metafile, 3).join(', ')}`,
      );
    }
    expect(bytes).toBeGreaterThan(0);
  });
});
