import { performance } from 'node:perf_hooks';
import { sleep, withConcurrency } from './load.js';

/** Where the bench sends leads and reads them back. */
export interface LeadApi {
  apiUrl: string;
  sourceKey: string;
  adminToken: string;
}

/** One POST /v1/leads as the client saw it. */
export interface PostResult {
  index: number;
  status: number;
  leadId?: string;
  /** From just before the request was sent to its response body being fully read. */
  ms: number;
  /** Epoch ms just before sending, to compare with the platform's ISO timestamps. */
  sentAtEpochMs: number;
  error?: string;
}

/** What the bench reads from GET /v1/leads/{id}. */
export interface StoredLead {
  leadId: string;
  capturedAt: string;
  qualifiedAt?: string;
  assignedAt?: string;
  notifiedAt?: string;
  captureToNotifyMs?: number;
  ownerId?: string;
  routingTrace?: { ticket?: number; winner?: string };
}

export interface DemoNotification {
  repId: string;
  receivedAt: string;
  payload: { leadId?: string; assignedAt?: string; lead?: { capturedAt?: string; email?: string } };
}

/** A web form's sender gives up after about this long. */
const REQUEST_TIMEOUT_MS = 10_000;

/** The email of a bench lead; the notification a rep receives carries it, so a lead can be followed by it. */
export function leadEmail(runId: string, scenario: string, index: number): string {
  return `bench-${runId}-${scenario}-${index}@example.org`;
}

/**
 * A web-form lead whose content is unique to this run, scenario and index: identical content within the
 * dedupe window would be answered as a duplicate of the first and never reach a rep again.
 */
export function leadBody(runId: string, scenario: string, index: number): string {
  return JSON.stringify({
    name: `Bench Lead ${scenario} ${index}`,
    email: leadEmail(runId, scenario, index),
    phone: '+1 650 555 0123',
    message: `Benchmark lead ${index} of ${scenario} in run ${runId}; please call back about pricing.`,
    page_url: `https://example.com/pricing?utm_source=bench&utm_medium=cpc&utm_campaign=${scenario}&gclid=bench${index}`,
  });
}

/** Posts one lead and times it from just before sending until the answer is fully read. */
export async function postLead(api: LeadApi, body: string, index: number, timeoutMs = REQUEST_TIMEOUT_MS): Promise<PostResult> {
  const sentAtEpochMs = Date.now();
  const t0 = performance.now();
  try {
    const response = await fetch(`${api.apiUrl}/v1/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.sourceKey}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - t0;
    let leadId: string | undefined;
    try {
      leadId = (JSON.parse(text) as { leadId?: string }).leadId;
    } catch {
      leadId = undefined;
    }
    const error = response.status === 202 ? undefined : `HTTP ${response.status}: ${text.slice(0, 200)}`;
    return { index, status: response.status, leadId, ms, sentAtEpochMs, error };
  } catch (error) {
    return { index, status: 0, ms: performance.now() - t0, sentAtEpochMs, error: (error as Error).message };
  }
}

/** Reads a lead with the admin token; undefined when it cannot be read. */
export async function readLead(api: LeadApi, leadId: string): Promise<StoredLead | undefined> {
  const response = await fetch(`${api.apiUrl}/v1/leads/${encodeURIComponent(leadId)}`, {
    headers: { authorization: `Bearer ${api.adminToken}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  }).catch(() => undefined);
  if (!response) return undefined;
  const text = await response.text();
  return response.status === 200 ? (JSON.parse(text) as StoredLead) : undefined;
}

/** Reads many leads with a few requests in flight, so reading does not become the load. */
export async function readLeads(api: LeadApi, leadIds: readonly string[], concurrency = 8): Promise<Map<string, StoredLead>> {
  const leads = await withConcurrency(leadIds.length, concurrency, (i) => readLead(api, leadIds[i]!));
  const byId = new Map<string, StoredLead>();
  leads.forEach((lead, i) => lead && byId.set(leadIds[i]!, lead));
  return byId;
}

/** Every notification the local demo receiver has taken in (it keeps the newest 10,000). */
export async function readNotifications(api: LeadApi): Promise<DemoNotification[]> {
  const response = await fetch(`${api.apiUrl}/_demo/notifications`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (response.status !== 200) throw new Error(`GET /_demo/notifications answered ${response.status}`);
  return (await response.json()) as DemoNotification[];
}

/**
 * Polls the demo receiver until every lead whose email is in `emails` has a notification or `timeoutMs`
 * has passed; returns the first notification per email. Following leads by email also finds those whose
 * POST timed out on the client but went through anyway.
 */
export async function waitForNotifications(
  api: LeadApi,
  emails: readonly string[],
  options: { timeoutMs: number; pollMs: number },
): Promise<{ notified: Map<string, DemoNotification>; waitedMs: number }> {
  const wanted = new Set(emails);
  const notified = new Map<string, DemoNotification>();
  const t0 = performance.now();
  const maxPolls = Math.ceil(options.timeoutMs / options.pollMs) + 1;
  for (let poll = 0; poll < maxPolls; poll++) {
    const received = await readNotifications(api).catch(() => [] as DemoNotification[]);
    for (const n of received) {
      const email = n.payload?.lead?.email;
      if (email && wanted.has(email) && !notified.has(email)) notified.set(email, n);
    }
    if (notified.size >= wanted.size || performance.now() - t0 >= options.timeoutMs) break;
    await sleep(options.pollMs);
  }
  return { notified, waitedMs: performance.now() - t0 };
}

/**
 * Posts `count` warm-up leads one at a time, so module loading and first connections are not measured,
 * and waits (at most `waitMs`) for them to reach their reps, so the whole pipeline is warm too.
 */
export async function warmUp(api: LeadApi, runId: string, scenario: string, count: number, waitMs = 20_000): Promise<PostResult[]> {
  const results: PostResult[] = [];
  for (let i = 0; i < count; i++) results.push(await postLead(api, leadBody(runId, `${scenario}-warmup`, i), i));
  const emails = results.map((r) => leadEmail(runId, `${scenario}-warmup`, r.index));
  await waitForNotifications(api, emails, { timeoutMs: waitMs, pollMs: 250 });
  return results;
}
