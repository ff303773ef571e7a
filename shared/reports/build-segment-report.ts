import { segmentReportOf, type CustomerFigures } from '../domain/segment-report.js';
import { customerValues } from '../store/purchase-store.js';
import { saveSegmentReport } from '../store/segment-report-store.js';
import type { Table } from '../store/table.js';
import { readValueSettings } from '../store/value-settings-store.js';
import { refreshCustomerValue } from '../value/customer-value.js';

/** Customers refreshed at once: enough to keep the table busy, few enough not to be throttled. */
const CONCURRENCY = 8;

/**
 * Builds the segment report from every customer's stored value. With `refresh` (the daily run), each
 * customer's value and segment is first recomputed for today, so segments that change with time alone
 * (a new customer stops being new) are current, on the contact too, before they are counted.
 */
export async function buildSegmentReport(table: Table, now: Date, options: { refresh: boolean }): Promise<{ customers: number; changed: number }> {
  const settings = options.refresh ? await readValueSettings(table) : undefined;
  const customers: CustomerFigures[] = [];
  let changed = 0;
  for await (const page of customerValues(table)) {
    if (!settings) {
      customers.push(...page);
      continue;
    }
    for (let i = 0; i < page.length; i += CONCURRENCY) {
      const refreshed = await Promise.all(page.slice(i, i + CONCURRENCY).map(async (stored) => {
        const fresh = await refreshCustomerValue(table, stored.contactId, now, settings);
        if (fresh && fresh.segment !== stored.segment) changed += 1;
        return fresh ?? stored;
      }));
      customers.push(...refreshed);
    }
  }
  await saveSegmentReport(table, segmentReportOf(customers), now.toISOString());
  return { customers: customers.length, changed };
}
