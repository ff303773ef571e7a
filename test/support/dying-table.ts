import type { Table } from '../../shared/store/table.js';
import type { ItemKey } from './announcements.js';

/** What a process that died answers every call it was making, and every call after. */
export class ProcessDied extends Error {
  override readonly name = 'ProcessDied';
}

/** One command sent to the table, as a predicate sees it. */
export interface SentCommand {
  input: Record<string, any>;
}

/**
 * `table` as seen by a process that dies right after the first command `diesAfter` picks: that command
 * is sent and committed, but its caller never hears back, and nothing after it reaches the table (a
 * crash, kill -9, a Lambda timeout between two writes).
 */
export function tableDyingAfter(table: Table, diesAfter: (command: SentCommand) => boolean): { table: Table; died: () => boolean } {
  let dead = false;
  const send = async (command: SentCommand, ...rest: unknown[]) => {
    if (dead) throw new ProcessDied('the process died');
    const out = await (table.client.send as (c: unknown, ...r: unknown[]) => Promise<unknown>)(command, ...rest);
    if (diesAfter(command)) {
      dead = true;
      throw new ProcessDied('the process died right after its write committed');
    }
    return out;
  };
  const client = new Proxy(table.client, { get: (target, prop, receiver) => (prop === 'send' ? send : Reflect.get(target, prop, receiver)) });
  return { table: { client, name: table.name }, died: () => dead };
}

/** Picks a single-item write of `item` that stores an outbox: a write that changes state and announces it. */
export function announcingWriteOf(item: ItemKey): (command: SentCommand) => boolean {
  return ({ input }) => {
    const key = input.Key ?? input.Item;
    if (key?.PK !== item.PK || key?.SK !== item.SK) return false;
    return Boolean(input.Item?.outbox ?? (typeof input.UpdateExpression === 'string' && /\boutbox = :outbox\b/.test(input.UpdateExpression)));
  };
}
