import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports.js';
import { PROJECT_ROOT, removeDataDir } from '../support/platform-process.js';

/** Runs `npm start`'s entry point to completion and returns its exit code and output. */
function runStart(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'infra/local/start.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start when it cannot start', () => {
  it('says in one line that the port is busy and how to choose another', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    const dataDir = mkdtempSync(join(tmpdir(), 'leadflow-busy-'));
    try {
      const { code, output } = await runStart(['--port', String(port), '--data-dir', dataDir]);
      expect(code).toBe(1);
      expect(output.trim()).toBe(
        `leadflow could not start: Port ${port} is already in use: stop whatever is using it, or start leadflow with --port <another port>.`,
      );
    } finally {
      blocker.close();
      removeDataDir(dataDir);
    }
  });

  it('says in one line that Java is missing and how to install it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leadflow-nojava-'));
    try {
      const { code, output } = await runStart(['--port', String(await freePort()), '--data-dir', dataDir], {
        ...process.env,
        PATH: '/nonexistent',
      });
      expect(code).toBe(1);
      expect(output.trim().split('\n')).toHaveLength(1);
      expect(output).toContain('leadflow could not start: Java is not installed: DynamoDB Local needs a Java 17+ runtime');
    } finally {
      removeDataDir(dataDir);
    }
  });

  it('rejects a port that is not a number, with the usage', async () => {
    const { code, output } = await runStart(['--port', 'eighty']);
    expect(code).toBe(2);
    expect(output).toContain('--port must be a number from 1 to 65535, not "eighty"');
    expect(output).toContain('Usage: npm start --');
  });
});
