import { itemsOf } from '../../shared/observability/call-counter.js';

/**
 * What AWS would bill for the DynamoDB calls a function made, worked out from the calls themselves and
 * the items they wrote and read, so the count follows the code as it changes instead of a list kept by
 * hand. On-demand rules (AWS "Read/write request units"): a write costs 1 WRU per KB of the item (an
 * update: of the item as it is afterwards), a transactional write 2 per KB per item; a strongly
 * consistent read 1 RRU per 4 KB, an eventually consistent one half that, a query by the summed size of
 * what it returns; a write to an item that has GSI1 keys also writes the index.
 */

type Item = Record<string, unknown>;

/** One billed piece of a call: an item written or read, or a query's result. */
export interface BilledPart {
  action: string;
  /** The item's key shape, e.g. `LEAD/A` or `FUNNEL/notified`; `GSI1 TEAM` for an index query. */
  item: string;
  bytes: number;
  wru: number;
  rru: number;
}

export interface BilledCall {
  command: string;
  /** Entries of a batch or transaction, 1 for a single-item call: what the call counter counts as items. */
  items: number;
  parts: BilledPart[];
  wru: number;
  rru: number;
}

const KB = 1024;
const GSI_KEYS = ['GSI1PK', 'GSI1SK'];

/**
 * The approximate size DynamoDB bills an item at: every attribute name plus its value, where strings are
 * their UTF-8 bytes, numbers about one byte per two significant digits plus one, booleans and nulls one
 * byte, and maps and lists three bytes plus one per element (AWS "Item sizes and formats").
 */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((s, [name, value]) => (value === undefined ? s : s + Buffer.byteLength(name) + valueSize(value)), 0);
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]|^0+/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Set) return [...value].reduce((s: number, v) => s + valueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((s: number, v) => s + 1 + valueSize(v), 0);
  if (value && typeof value === 'object') {
    return 3 + Object.entries(value).reduce((s, [k, v]) => (v === undefined ? s : s + 1 + Buffer.byteLength(k) + valueSize(v)), 0);
  }
  return 0;
}

/** A key's shape without its ids: `LEAD#01H…`/`EV#2026…#Lead Captured` → `LEAD/EV`. */
export function keyShape(key: Item | undefined): string {
  const head = (v: unknown) => String(v ?? '?').split('#')[0];
  return `${head(key?.PK)}/${head(key?.SK)}`;
}

const inIndex = (item: Item | undefined) => Boolean(item && GSI_KEYS.every((k) => item[k] !== undefined));

function write(action: string, item: Item | undefined, key: Item | undefined, factor: number): BilledPart[] {
  const bytes = itemSize(item ?? key ?? {});
  const units = factor * Math.max(1, Math.ceil(bytes / KB));
  const parts = [{ action, item: keyShape(key ?? item), bytes, wru: units, rru: 0 }];
  if (inIndex(item)) parts.push({ action: `${action} → GSI1`, item: keyShape(key ?? item), bytes, wru: units, rru: 0 });
  return parts;
}

function read(action: string, item: string, bytes: number, consistent: boolean): BilledPart {
  return { action, item, bytes, wru: 0, rru: (consistent ? 1 : 0.5) * Math.max(1, Math.ceil(bytes / (4 * KB))) };
}

/**
 * Bills one call from its input and output (as the document client sees them, unmarshalled). Updates
 * are billed at the size of the item after the call, which `readItem` fetches (after the invocation, so
 * the lookups are not timed).
 */
export async function billCall(
  command: string,
  input: Record<string, any>,
  output: Record<string, any>,
  readItem: (key: Item) => Promise<Item | undefined>,
): Promise<BilledCall> {
  const parts: BilledPart[] = [];
  switch (command) {
    case 'GetItem':
      parts.push(read('Get', keyShape(input.Key), itemSize(output.Item ?? {}), Boolean(input.ConsistentRead)));
      break;
    case 'Query': {
      const pk = Object.values(input.ExpressionAttributeValues ?? {})[0];
      const target = `${input.IndexName ? `${input.IndexName} ` : ''}${String(pk ?? '?').split('#')[0]}`;
      const bytes = ((output.Items ?? []) as Item[]).reduce((s, i) => s + itemSize(i), 0);
      parts.push(read('Query', target, bytes, Boolean(input.ConsistentRead) && !input.IndexName));
      break;
    }
    case 'PutItem':
      parts.push(...write('Put', input.Item, undefined, 1));
      break;
    case 'UpdateItem':
      parts.push(...write('Update', await readItem(input.Key), input.Key, 1));
      break;
    case 'DeleteItem':
      parts.push({ action: 'Delete', item: keyShape(input.Key), bytes: 0, wru: 1, rru: 0 });
      break;
    case 'TransactWriteItems':
      for (const entry of (input.TransactItems ?? []) as Array<Record<string, any>>) {
        if (entry.Put) parts.push(...write('Put', entry.Put.Item, undefined, 2));
        else if (entry.Update) parts.push(...write('Update', await readItem(entry.Update.Key), entry.Update.Key, 2));
        else if (entry.Delete) parts.push({ action: 'Delete', item: keyShape(entry.Delete.Key), bytes: 0, wru: 2, rru: 0 });
        else if (entry.ConditionCheck) parts.push({ action: 'ConditionCheck', item: keyShape(entry.ConditionCheck.Key), bytes: 0, wru: 2, rru: 0 });
      }
      break;
    case 'BatchGetItem':
      // Each item read is billed on its own, rounded up to 4 KB.
      for (const [tableName, request] of Object.entries(input.RequestItems ?? {}) as Array<[string, Record<string, any>]>) {
        for (const item of (output.Responses?.[tableName] ?? []) as Item[]) {
          parts.push(read('BatchGet', keyShape(item), itemSize(item), Boolean(request.ConsistentRead)));
        }
      }
      break;
    case 'TransactGetItems':
      for (const response of (output.Responses ?? []) as Array<{ Item?: Item }>) {
        const part = read('TransactGet', keyShape(response.Item), itemSize(response.Item ?? {}), true);
        parts.push({ ...part, rru: 2 * part.rru });
      }
      break;
    case 'BatchWriteItem':
      for (const requests of Object.values(input.RequestItems ?? {}) as Array<Array<Record<string, any>>>) {
        for (const r of requests) parts.push(...(r.PutRequest ? write('Put', r.PutRequest.Item, undefined, 1) : [{ action: 'Delete', item: keyShape(r.DeleteRequest?.Key), bytes: 0, wru: 1, rru: 0 }]));
      }
      break;
    default:
      // Scans and statements are not on a lead's path; bill them as one strongly consistent read.
      parts.push(read(command, '?', 0, true));
  }
  return {
    command,
    items: itemsOf(input),
    parts,
    wru: parts.reduce((s, p) => s + p.wru, 0),
    rru: parts.reduce((s, p) => s + p.rru, 0),
  };
}
