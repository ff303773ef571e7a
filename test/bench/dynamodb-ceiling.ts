import { performance } from 'node:perf_hooks';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Table } from '../../shared/store/table.js';
import { measureCpu, type ProcessGroups } from './cpu-usage.js';
import { withConcurrency } from './load.js';
import { summarize, type Summary } from './stats.js';

export type Kind = 'GetItem' | 'PutItem' | 'UpdateItem' | 'TransactWriteItems';
const KINDS: readonly Kind[] = ['UpdateItem', 'GetItem', 'PutItem', 'TransactWriteItems'];

export interface DynamoCeiling {
  concurrency: number;
  kinds: Array<{
    kind: Kind;
    calls: number;
    /** Calls answered without an error per second. */
    perSecond: number;
    latency: Summary;
    javaCpuMsPerCall: number;
    errors: number;
    /** Cores the rest of the machine (other people's processes) kept busy meanwhile: how contended the figure is. */
    otherCores: number;
  }>;
  /**
   * What these rates allow: leads per second through intake alone and through a lead's whole flow, by
   * the calls of a lead (counted in the platform under load, or estimated from the probe without that).
   */
  leadsPerSecond?: { intakeOnly: number; wholeFlow: number; callsPerLead: Record<string, number>; counted: boolean };
}

/**
 * The most leads per second DynamoDB Local could serve if it did nothing else, given the calls one lead
 * makes (by command; a query counts as a read, any other call as the closest kind measured).
 */
export function leadsPerSecond(ceiling: DynamoCeiling, callsPerLead: Record<string, number>): number {
  const rate = (command: string) => {
    const kind: Kind = /^(Query|Scan|GetItem|BatchGetItem)$/.test(command)
      ? 'GetItem'
      : command.startsWith('Transact')
        ? 'TransactWriteItems'
        : command === 'PutItem' || command === 'BatchWriteItem'
          ? 'PutItem'
          : 'UpdateItem';
    return ceiling.kinds.find((k) => k.kind === kind)?.perSecond ?? Number.NaN;
  };
  return 1 / Object.entries(callsPerLead).reduce((s, [command, n]) => s + n / rate(command), 0);
}

/**
 * How many calls per second DynamoDB Local answers on this machine, for each kind of call a lead makes
 * (or those of `kinds`), with `concurrency` in flight (the platform's per-function limit), after
 * `warmupCalls` unmeasured puts for a JVM that has not been busy yet. Calls write keys of `runId`, so two
 * measurements on one table need two ids.
 */
export async function measureDynamoCeiling(
  table: Table,
  processes: ProcessGroups,
  options: { runId: string; calls: number; concurrency: number; kinds?: readonly Kind[]; warmupCalls?: number },
): Promise<DynamoCeiling> {
  const pk = (i: number) => `BENCH#${options.runId}#${i}`;
  const make: Record<Kind, (i: number) => GetCommand | PutCommand | UpdateCommand | TransactWriteCommand> = {
    GetItem: (i) => new GetCommand({ TableName: table.name, Key: { PK: pk(i % 50), SK: 'A' }, ConsistentRead: true }),
    PutItem: (i) =>
      new PutCommand({
        TableName: table.name,
        Item: { PK: pk(i), SK: 'PUT', payload: 'x'.repeat(100) },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    UpdateItem: (i) =>
      new UpdateCommand({
        TableName: table.name,
        Key: { PK: pk(i), SK: 'A' },
        UpdateExpression: 'SET payload = :p',
        ExpressionAttributeValues: { ':p': 'x'.repeat(900) },
      }),
    TransactWriteItems: (i) =>
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: { PK: pk(i), SK: 'TX', payload: 'x'.repeat(900) }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Put: { TableName: table.name, Item: { PK: `${pk(i)}#EV`, SK: 'TX', at: new Date().toISOString() } } },
        ],
      }),
  };
  const send = (command: GetCommand | PutCommand | UpdateCommand | TransactWriteCommand) =>
    table.client.send(command as never, { abortSignal: AbortSignal.timeout(10_000) });
  await withConcurrency(options.warmupCalls ?? 0, options.concurrency, (i) => send(make.PutItem(options.calls + i)).catch(() => undefined));
  const kinds: DynamoCeiling['kinds'] = [];
  for (const kind of options.kinds ?? KINDS) {
    const latencies: number[] = [];
    let errors = 0;
    const cpu = measureCpu(processes);
    const t0 = performance.now();
    await withConcurrency(options.calls, options.concurrency, async (i) => {
      const start = performance.now();
      try {
        await send(make[kind](i));
        latencies.push(performance.now() - start);
      } catch {
        errors++;
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    const window = cpu.stop();
    const java = window.processes['DynamoDB Local (java)'];
    const ours = Object.values(window.processes).reduce((s, p) => s + p.cores, 0);
    kinds.push({
      kind,
      calls: options.calls,
      perSecond: (options.calls - errors) / seconds,
      latency: summarize(latencies),
      javaCpuMsPerCall: java ? (1000 * java.cpuSeconds) / options.calls : Number.NaN,
      errors,
      otherCores: window.machine ? Math.max(0, window.machine.busyCores - ours) : Number.NaN,
    });
  }
  return { concurrency: options.concurrency, kinds };
}
