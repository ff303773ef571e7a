import { CALL_TRACKED, callTrackedSchema } from '../../events/call-tracked.js';
import { LEAD_ASSIGNED, leadAssignedSchema } from '../../events/lead-assigned.js';
import { LEAD_CAPTURED, leadCapturedSchema } from '../../events/lead-captured.js';
import { LEAD_QUALIFIED, leadQualifiedSchema } from '../../events/lead-qualified.js';
import { LEAD_STATUS_CHANGED, leadStatusChangedSchema } from '../../events/lead-status-changed.js';
import { LEAD_TAKEN_BACK, leadTakenBackSchema } from '../../events/lead-taken-back.js';
import { REP_NOTIFIED, repNotifiedSchema } from '../../events/rep-notified.js';
import { parseDetail } from '../aws/event-input.js';
import { callLookups, mergeCallEvent } from '../domain/call-correlation.js';
import { campaignOf } from '../domain/campaign-ref.js';
import { leadRefOf } from '../domain/lead.js';
import { statusMarksOf } from '../domain/status-marks.js';
import { findRepByIdentity } from '../store/directory-store.js';
import { recordFunnelSteps, type CallMark, type FunnelStep } from '../store/metrics-store.js';
import { logger } from '../observability/logger.js';
import type { Table } from '../store/table.js';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/** What one event adds to the reports: funnel marks of its lead, or a call event with its rep. */
export interface EventMarks {
  steps: FunnelStep[];
  calls: CallMark[];
}

/**
 * Reads which lead and funnel steps an event is about: the capture with its campaign, qualification,
 * each assignment (for the funnel and for the rep), notification, a rep's status change (up to two
 * steps), a missed deadline (for the rep who missed it), and call events with the rep on our side,
 * looked up by the call's agent id or business phone as track-calls looks them up.
 */
export async function marksOfEvent(table: Table, detailType: string, detail: unknown): Promise<EventMarks> {
  const steps = (list: FunnelStep[]): EventMarks => ({ steps: list, calls: [] });
  switch (detailType) {
    case LEAD_CAPTURED: {
      const captured = parseDetail(leadCapturedSchema, detailType, detail);
      return steps([{ lead: leadRefOf(captured), stage: 'leads', campaign: campaignOf(captured) }]);
    }
    case LEAD_QUALIFIED:
      return steps([{ lead: parseDetail(leadQualifiedSchema, detailType, detail).lead, stage: 'qualified' }]);
    case LEAD_ASSIGNED: {
      const { lead, repId } = parseDetail(leadAssignedSchema, detailType, detail);
      return steps([{ lead, stage: 'assigned', repId }, { lead, stage: 'rep_assigned', part: repId, repId }]);
    }
    case REP_NOTIFIED: {
      const notified = parseDetail(repNotifiedSchema, detailType, detail);
      return steps([{ lead: notified.lead, stage: 'notified', latencyMs: notified.latencyMs, repId: notified.repId }]);
    }
    case LEAD_STATUS_CHANGED: {
      const change = parseDetail(leadStatusChangedSchema, detailType, detail);
      return steps(statusMarksOf(change).map((mark) => ({ lead: change.lead, ...mark, repId: change.repId })));
    }
    case LEAD_TAKEN_BACK: {
      const taken = parseDetail(leadTakenBackSchema, detailType, detail);
      return steps([{ lead: taken.lead, stage: 'sla_missed', part: String(taken.assignment), repId: taken.repId }]);
    }
    case CALL_TRACKED: {
      const { call } = parseDetail(callTrackedSchema, detailType, detail);
      if (call.isTest) return steps([]);
      const { agent, businessPhone } = callLookups(mergeCallEvent(undefined, call).record);
      const repId =
        (agent ? await findRepByIdentity(table, 'agent', agent) : undefined) ??
        (businessPhone ? await findRepByIdentity(table, 'phone', businessPhone) : undefined);
      return { steps: [], calls: [{ event: call, ...(repId ? { repId } : {}) }] };
    }
    default:
      throw new Error(`metrics does not count "${detailType}" events; the rule's pattern and this handler disagree`);
  }
}

/**
 * Funnel events (batched through the metrics queue) → one record per lead and step on the lead's
 * capture day (a rep's status change can mark two: accepted and contacted), and one per call event on
 * its day, written in one BatchWriteItem per 25. A record that breaks its contract is reported as
 * failed (and ends in the DLQ) without holding back the rest; if the write fails, the whole batch is
 * retried, which is harmless because writing a mark again changes nothing. Test leads are not
 * counted: reports are about real demand.
 */
export async function recordFunnelEvents(table: Table, records: readonly SQSRecord[]): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  const steps: FunnelStep[] = [];
  const calls: CallMark[] = [];
  for (const record of records) {
    try {
      const envelope = JSON.parse(record.body) as { 'detail-type': string; detail: unknown };
      const marks = await marksOfEvent(table, envelope['detail-type'], envelope.detail);
      for (const step of marks.steps) if (!step.lead.isTest) steps.push(step);
      calls.push(...marks.calls);
    } catch (error) {
      logger.error('funnel event cannot be read', { messageId: record.messageId, error: error as Error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  await recordFunnelSteps(table, steps, calls);
  return { batchItemFailures: failures };
}
