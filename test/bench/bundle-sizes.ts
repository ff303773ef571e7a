import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { topology, type FunctionName } from '../../infra/topology.js';

export const BUNDLE_BUDGET_BYTES = 400 * 1024;

export type BundleSizes =
  | { available: true; functions: Array<{ name: FunctionName; bytes: number; pass: boolean }> }
  | { available: false; reason: string };

type BundleFunction = (entry: string, outdir: string) => Promise<{ bytes: number }>;

const BUNDLING_MODULE = resolve(import.meta.dirname, '../../infra/aws/bundling.ts');

/**
 * Bundles every function of the topology with `infra/aws/bundling.ts` (the same settings the stack deploys
 * with) into a temporary folder and reports the minified size of each against the 400 KB budget. When that
 * module or its `bundleFunction` is not there, says so instead: the size test covers it.
 */
export async function measureBundleSizes(): Promise<BundleSizes> {
  if (!existsSync(BUNDLING_MODULE)) return { available: false, reason: 'infra/aws/bundling.ts does not exist' };
  let bundleFunction: BundleFunction | undefined;
  try {
    bundleFunction = ((await import('../../infra/aws/bundling.js')) as { bundleFunction?: BundleFunction }).bundleFunction;
  } catch (error) {
    return { available: false, reason: `infra/aws/bundling.ts could not be loaded: ${(error as Error).message.split('\n')[0]}` };
  }
  if (typeof bundleFunction !== 'function') return { available: false, reason: 'infra/aws/bundling.ts exports no bundleFunction' };
  const outdir = mkdtempSync(join(tmpdir(), 'leadflow-bench-bundles-'));
  try {
    const functions = [];
    for (const [name, spec] of Object.entries(topology.functions) as Array<[FunctionName, { entry: string }]>) {
      const { bytes } = await bundleFunction(spec.entry, join(outdir, name));
      functions.push({ name, bytes, pass: bytes <= BUNDLE_BUDGET_BYTES });
    }
    return { available: true, functions };
  } catch (error) {
    return { available: false, reason: `bundling failed: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
