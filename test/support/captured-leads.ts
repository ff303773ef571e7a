import { createLead } from '../../shared/store/lead-store.js';
import { recordFunnelSteps } from '../../shared/store/metrics-store.js';
import type { Table } from '../../shared/store/table.js';

/** Stores leads captured on `day` and marks them captured in the funnel, as intake and metrics would. */
export async function funnelMarkForTest(table: Table, day: string, leadIds: string[]): Promise<void> {
  const capturedAt = `${day}T09:00:00.000Z`;
  for (const leadId of leadIds) {
    await createLead(
      table,
      {
        leadId, sourceId: 'src', channel: 'web_form', provider: 'html_form', externalIds: {}, person: {}, answers: {},
        attribution: {}, capturedAt, isTest: false, status: 'qualified', score: 0, grade: 'cold', reasons: [], qualifiedAt: capturedAt,
      },
      [],
    );
  }
  await recordFunnelSteps(table, leadIds.map((leadId) => ({ lead: { leadId, sourceId: 'src', channel: 'web_form', capturedAt, isTest: false }, stage: 'leads' })));
}
