import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { config } from '../../shared/aws/config.js';
import { publisher, table } from '../../shared/aws/runtime.js';
import { ClientError } from '../../shared/domain/errors.js';
import { authenticate, type EventWithPrincipal } from '../../shared/http/auth.js';
import { readBody, type EventWithBody } from '../../shared/http/body.js';
import { httpErrors } from '../../shared/http/errors.js';
import { json } from '../../shared/http/responses.js';
import { acceptLead } from '../../shared/intake/accept-lead.js';
import { logger } from '../../shared/observability/logger.js';
import { fieldsFromJson, parseWebForm, type FormFields } from '../../shared/sources/web-form.js';
import { sourceOf } from '../../shared/intake/source-cache.js';

type Event = EventWithBody & EventWithPrincipal<{ kind: 'source'; sourceId: string }>;

function formFields(event: Event): FormFields {
  const { mediaType, text } = event.requestBody;
  if (mediaType === 'application/x-www-form-urlencoded') return [...new URLSearchParams(text)];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ClientError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  return fieldsFromJson(body);
}

/** POST /v1/leads: a web-form lead, as JSON or urlencoded, authenticated by its source's key. */
export const handler = middy<Event>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .use(authenticate(table, 'source'))
  // 128 KB: the archived request holds the body and the parsed lead (DynamoDB items stop at 400 KB), and
  // Lead Captured carries the lead (EventBridge entries stop at 256 KB). No form needs more.
  .use(readBody({ accept: ['application/json', 'application/x-www-form-urlencoded'], maxBytes: 131_072 }))
  .handler(async (event) => {
    const source = await sourceOf(table, event.principal.sourceId);
    const fields = formFields(event);
    // The Idempotency-Key header goes first, so it wins over an idempotency_key field in the body.
    const headerKey = event.headers['idempotency-key'];
    if (headerKey) fields.unshift(['idempotency_key', headerKey]);
    const lead = parseWebForm(fields, { defaultCountry: source.defaultCountry });
    const { leadId, duplicate } = await acceptLead(
      { table, publisher, now: () => new Date(), contentWindowSeconds: config().DEDUPE_WINDOW_SECONDS },
      {
        source,
        lead,
        receivedAt: new Date(event.requestContext.timeEpoch),
        raw: {
          contentType: event.requestBody.mediaType,
          body: event.requestBody.text,
          headers: { 'user-agent': event.headers['user-agent'] ?? '' },
          sourceIp: event.requestContext.http.sourceIp,
        },
      },
    );
    return json(202, { leadId, status: 'accepted', duplicate });
  });
