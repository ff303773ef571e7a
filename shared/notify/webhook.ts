import type { Rep } from '../domain/directory.js';
import type { Notifier } from '../use-cases/ports.js';
import { redactUrl, withoutUrl } from './redact-url.js';

/** A notification could not be delivered; the message says why in words an operator can act on. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    /** False when trying again cannot help (the rep has no channel, the endpoint refuses the payload). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * POSTs a JSON notification to a rep's webhook. Success is any 2xx within the timeout; a redirect and
 * 4xx other than 408 and 429 are final, everything else (5xx, timeouts, connection errors) may be
 * retried.
 */
export async function postWebhook(
  url: string,
  payload: unknown,
  options: { timeoutMs: number; idempotencyKey: string },
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'leadflow-notify/1',
        'idempotency-key': options.idempotencyKey,
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs),
      // A followed 301/302/303 turns the POST into a bodiless GET whose 2xx would count as delivered,
      // and could lead anywhere; a redirect is the rep's configuration to fix.
      redirect: 'manual',
    });
  } catch (error) {
    // fetch's own messages quote the whole URL (credentials and query included), so they are redacted.
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : withoutUrl(String((error as Error)?.message), url);
    const credentials = (() => {
      try {
        const u = new URL(url);
        return Boolean(u.username || u.password);
      } catch {
        return false;
      }
    })();
    // A URL with user info is refused by fetch every time: retrying cannot help.
    throw new DeliveryError(`webhook ${redactUrl(url)} failed: ${reason}`, !credentials);
  }
  // Drain the body so the connection can be reused.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  if (response.status >= 300 && response.status < 400) {
    throw new DeliveryError(`webhook ${redactUrl(url)} redirected (${response.status}); set the rep's webhook to the final URL`, false);
  }
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new DeliveryError(`webhook ${redactUrl(url)} answered ${response.status}`, retryable);
}

/** The notifier that POSTs to each rep's webhook; a rep without one cannot be told (a final failure). */
export function webhookNotifier(options: { timeoutMs: number }): Notifier {
  return {
    async notify(rep: Rep, message, idempotencyKey) {
      if (!rep.webhookUrl) throw new DeliveryError(`rep ${rep.repId} has no notification channel`, false);
      await postWebhook(rep.webhookUrl, message, { timeoutMs: options.timeoutMs, idempotencyKey });
    },
  };
}
