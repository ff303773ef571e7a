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
  status?: string;
  teamId?: string;
  routingTrace?: { ticket?: number; winner?: string; reason?: string };
  timeline?: Array<{ at: string; type: string; detail?: Record<string, unknown> }>;
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

/** One area code per scenario run on a platform, so a warm-up's phones never meet the measured leads' phones. */
const AREA_CODES: Record<string, string> = {
  intake: '415',
  'intake-warmup': '408',
  notify: '510',
  'notify-warmup': '707',
  burst: '650',
  'burst-warmup': '925',
  sustained: '619',
  'sustained-warmup': '858',
  probe: '831',
};

/**
 * A US phone number unique to the scenario and index (up to 800,000 leads): exchange 200–999 and a
 * four-digit line. Leads sharing a phone are one person, and a person's second lead within the merge
 * window is merged into the first instead of being routed, so every bench lead needs its own.
 */
export function leadPhone(scenario: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 800_000) throw new Error(`no bench phone for lead index ${index}`);
  const exchange = 200 + Math.floor(index / 10_000);
  const line = String(index % 10_000).padStart(4, '0');
  return `+1 ${AREA_CODES[scenario] ?? '209'} ${exchange} ${line}`;
}

/**
 * A web-form lead whose content and person are unique to this run, scenario and index: identical content
 * within the dedupe window would be answered as a duplicate of the first, and a known email or phone
 * within the merge window would be merged into that person's open lead; neither would reach a rep again.
 */
export function leadBody(runId: string, scenario: string, index: number): string {
  return JSON.stringify({
    name: `Bench Lead ${scenario} ${index}`,
    email: leadEmail(runId, scenario, index),
    phone: leadPhone(scenario, index),
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

/**
 * The ids of every lead a rep owns, as the rep sees them (GET /v1/rep/leads, newest first, page by page),
 * with a rep token the admin API issues for the purpose.
 */
export async function readRepLeadIds(api: LeadApi, repId: string): Promise<string[]> {
  const issued = await fetch(`${api.apiUrl}/v1/admin/reps/${encodeURIComponent(repId)}/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.adminToken}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (issued.status !== 201) throw new Error(`POST /v1/admin/reps/${repId}/token answered ${issued.status}: ${(await issued.text()).slice(0, 200)}`);
  const { token } = (await issued.json()) as { token: string };
  const ids: string[] = [];
  let cursor: string | undefined;
  // A page holds at most 100 leads; the bound only stops a cursor that never ends.
  for (let page = 0; page < 10_000; page++) {
    const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${api.apiUrl}/v1/rep/leads?${query}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.status !== 200) throw new Error(`GET /v1/rep/leads for ${repId} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const body = (await response.json()) as { leads: Array<{ leadId: string }>; next?: string };
    ids.push(...body.leads.map((l) => l.leadId));
    if (!body.next) return ids;
    cursor = body.next;
  }
  throw new Error(`GET /v1/rep/leads for ${repId} kept returning a next page`);
}

/** Every notification the local demo receiver has taken in (it keeps the newest 10,000). */
export async function readNotifications(api: LeadApi): Promise<DemoNotification[]> {
  const response = await fetch(`${api.apiUrl}/_demo/notifications`, {
    headers: { authorization: `Bearer ${api.adminToken}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
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
