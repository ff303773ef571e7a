import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { SourceReportRow } from '../domain/source-report.js';
import { keys } from './keys.js';
import { queryAll, type Table } from './table.js';

const SOURCES = 'sources';

/** Stores a day's built per-source report, replacing rows of the same source and channel. */
export async function saveSourceReport(table: Table, day: string, rows: SourceReportRow[], builtAt: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 25) {
    let RequestItems: Record<string, any> | undefined = {
      [table.name]: rows.slice(i, i + 25).map((row) => ({
        PutRequest: { Item: { ...keys.reportRow(SOURCES, day, `${row.sourceId}#${row.channel}`), ...row, builtAt } },
      })),
    };
    // BatchWrite may leave items unprocessed under throttling; send those again until none are left.
    for (let attempt = 0; RequestItems && Object.keys(RequestItems).length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 6)));
      const out: BatchWriteCommandOutput = await table.client.send(new BatchWriteCommand({ RequestItems }));
      RequestItems = out.UnprocessedItems;
    }
  }
}

/** The built per-source report rows of the given days, in day order; one query per day. */
export async function readSourceReport(
  table: Table,
  days: string[],
): Promise<Array<SourceReportRow & { builtAt: string }>> {
  const pages = await Promise.all(
    days.map((day) =>
      queryAll(table, {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.reportPartition(SOURCES, day) },
      }),
    ),
  );
  return pages.flat().map(({ PK: _pk, SK: _sk, ...row }) => row as SourceReportRow & { builtAt: string });
}
