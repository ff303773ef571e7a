import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/** The project root: topology entries, the lock file and tsconfig.json are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The Lambda runtime of every function: the newest Node.js runtime aws-cdk-lib offers. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** The file a bundle's code is written to; Lambda loads `.mjs` as ESM. */
export const BUNDLE_FILE = 'index.mjs';

// ESM output has no `require`, but CommonJS dependencies bundled into it still call it. The import is
// aliased so it cannot collide with a name in the bundle.
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __leadflowCreateRequire } from 'node:module';" +
  'const require = __leadflowCreateRequire(import.meta.url);';

/**
 * How every function is bundled, in one place: `functionBundling` (for NodejsFunction) and
 * `esbuildOptions` (for esbuild directly) are both derived from it, so the deployed bundle and the
 * one measured by the size test and the benchmark cannot drift apart.
 */
const settings = {
  target: LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
  minify: true,
  sourcemap: true,
  // Stack traces need only the mappings, not a copy of every source file in each deployment package.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  // The AWS SDK is bundled too: its version is the lock file's, not whatever the runtime ships this month.
  external: [] as string[],
  // Only the environment credentials Lambda provides; `lambda-credentials.ts` says why.
  alias: { '@aws-sdk/credential-provider-node': './infra/aws/lambda-credentials.ts' } as Record<string, string>,
  metafile: true,
} as const;

/** Bundling options for `NodejsFunction`: local esbuild only, ESM, minified, SDK included. */
export const functionBundling: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: settings.target,
  minify: settings.minify,
  sourceMap: settings.sourcemap,
  sourcesContent: settings.sourcesContent,
  mainFields: [...settings.mainFields],
  banner: settings.banner,
  externalModules: [...settings.external],
  esbuildArgs: { '--alias': Object.entries(settings.alias).map(([from, to]) => `${from}=${to}`) },
  metafile: settings.metafile,
};

/** Environment the bundles need at run time: source maps only help if Node is told to read them. */
export const bundleRuntimeEnvironment: Record<string, string> = settings.sourcemap
  ? { NODE_OPTIONS: '--enable-source-maps' }
  : {};

/** The esbuild options NodejsFunction derives from `functionBundling`, for an entry relative to the project root. */
export function esbuildOptions(entry: string, outdir: string): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile: join(outdir, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: settings.target,
    minify: settings.minify,
    sourcemap: settings.sourcemap,
    sourcesContent: settings.sourcesContent,
    mainFields: [...settings.mainFields],
    banner: { js: settings.banner },
    external: [...settings.external],
    alias: { ...settings.alias },
    metafile: settings.metafile,
    logLevel: 'warning',
  };
}

/** Bundles one function exactly as it is deployed and returns the code's size and esbuild's metafile. */
export async function bundleFunction(entry: string, outdir: string): Promise<{ bytes: number; metafile: Metafile }> {
  await mkdir(outdir, { recursive: true });
  const { metafile } = await build(esbuildOptions(entry, outdir));
  const output = Object.entries(metafile.outputs).find(([path]) => basename(path) === BUNDLE_FILE);
  if (!output) throw new Error(`esbuild wrote no ${BUNDLE_FILE} for ${entry}`);
  return { bytes: output[1].bytes, metafile };
}

/** Absolute path of a topology entry. */
export function entryPath(entry: string): string {
  return resolve(PROJECT_ROOT, entry);
}
