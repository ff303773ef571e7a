import type { Source } from '../domain/directory.js';
import { ClientError } from '../domain/errors.js';
import { getSource } from '../store/directory-store.js';
import { readThroughCachePerTable } from '../store/read-through-cache.js';
import type { Table } from '../store/table.js';

const lookup = readThroughCachePerTable(getSource, 30_000);

/**
 * The enabled source a lead arrives from, read at most every 30 s per process. A disabled or deleted
 * source is refused with 403.
 */
export async function sourceOf(table: Table, sourceId: string): Promise<Source> {
  const source = await lookup(table, sourceId);
  if (!source?.enabled) throw new ClientError(403, 'source_disabled', `source ${sourceId} is not enabled`);
  return source;
}
