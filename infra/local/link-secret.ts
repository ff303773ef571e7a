import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local runtime's accept-link signing secret: random per data directory, kept in it (mode 600), so
 * links sent before a restart still work after it, and two local installations never accept each other's.
 */
export function localLinkSecret(dataDir: string): string {
  const file = join(dataDir, 'link-signing.secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
