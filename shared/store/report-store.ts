import type { SourceReportRow } from '../domain/source-report.js';
import { keys } from './keys.js';
import { putAll, queryAll, type Table } from './table.js';

const SOURCES = 'sources';

/** Stores a day's built per-source report, replacing rows of the same source and channel. */
export async function saveSourceReport(table: Table, day: string, rows: SourceReportRow[], builtAt: string): Promise<void> {
  await putAll(
    table,
    rows.map((row) => ({ ...keys.reportRow(SOURCES, day, `${row.sourceId}#${row.channel}`), ...row, builtAt })),
  );
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
