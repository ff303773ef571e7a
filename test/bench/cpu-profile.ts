import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a platform process spent its CPU: self time by package or project file, and by function. */
export interface ProfileSummary {
  file: string;
  busyMs: number;
  idleMs: number;
  byModule: Array<{ name: string; ms: number; share: number }>;
  byFunction: Array<{ name: string; ms: number; share: number }>;
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

function moduleOf(frame: ProfileNode['callFrame'], projectRoot: string): string {
  if (SPECIAL.has(frame.functionName) && !frame.url) return frame.functionName;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
  if (pkg) return pkg;
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice(5).replace(/^internal\//, '').split('/')[0]}`;
  if (frame.url.startsWith('file://')) return relative(projectRoot, new URL(frame.url).pathname);
  return frame.url || '(native)';
}

/**
 * Reads the V8 CPU profiles in `dir` (written by cpu-profiler.mjs) and sums self time per module and per
 * function for the largest one, the platform's main thread.
 */
export function summarizeCpuProfile(dir: string, projectRoot: string, top = 15): ProfileSummary | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const profiles = files.map((f) => ({ file: f, profile: JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile }));
  const main = profiles.sort((a, b) => b.profile.samples.length - a.profile.samples.length)[0];
  if (!main) return undefined;
  const nodes = new Map(main.profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  main.profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (main.profile.timeDeltas[i] ?? 0)));
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const mod = moduleOf(frame, projectRoot);
    byModule.set(mod, (byModule.get(mod) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${mod}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const busyUs = [...byModule.values()].reduce((s, v) => s + v, 0);
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort(([, a], [, b]) => b - a)
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: Math.round((1000 * us) / busyUs) / 10 }));
  return { file: main.file, busyMs: Math.round(busyUs / 1000), idleMs: Math.round(idleUs / 1000), byModule: ranked(byModule), byFunction: ranked(byFunction) };
}
