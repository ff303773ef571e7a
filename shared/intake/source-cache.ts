import type { Source } from '../domain/directory.js';
import { ClientError } from '../domain/errors.js';
import { readSourceNow } from '../store/directory-store.js';
import type { Table } from '../store/table.js';

/**
 * The enabled source a lead arrives from, read on every request (strongly consistent, never cached): a
 * source disabled a moment ago refuses its next lead, on every container. A disabled or deleted source
 * is refused with 403.
 */
export async function sourceOf(table: Table, sourceId: string): Promise<Source> {
  const source = await readSourceNow(table, sourceId);
  if (!source?.enabled) throw new ClientError(403, 'source_disabled', `source ${sourceId} is not enabled`);
  return source;
}
