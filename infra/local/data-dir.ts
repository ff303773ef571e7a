import { chmodSync, mkdirSync } from 'node:fs';

/**
 * Creates the local data directory readable by its owner only (0700), and tightens one that exists: it
 * holds DynamoDB Local's files (every lead's contact details), the source secrets and the link-signing
 * secret, and DynamoDB Local writes its files with the JVM's default umask, world-readable; a directory
 * nobody else can enter keeps them private whatever their own modes.
 */
export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}
