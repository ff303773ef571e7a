import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { config } from '../../shared/aws/config.js';
import { table } from '../../shared/aws/runtime.js';
import { authenticate, type EventWithPrincipal } from '../../shared/http/auth.js';
import { readBody, type EventWithBody } from '../../shared/http/body.js';
import { httpErrors } from '../../shared/http/errors.js';
import { answerCapturedPost, browserFormResponses, formSource, type BrowserFormEvent } from '../../shared/intake/browser-form.js';
import { logger } from '../../shared/observability/logger.js';
import { PLAIN_FORM_MAX_BYTES } from '../../shared/sources/web-form.js';
import { captureWebFormPost, WEB_FORM_MEDIA_TYPES } from '../../shared/use-cases/capture-web-form-lead.js';

type Event = EventWithBody & EventWithPrincipal<{ kind: 'source'; sourceId: string }> & BrowserFormEvent;
const deps = { table, now: () => new Date(), contentWindowSeconds: config().DEDUPE_WINDOW_SECONDS };

/**
 * POST /v1/leads: a web-form lead as JSON, urlencoded or multipart, authenticated by its source's key,
 * from servers or straight from browsers (CORS for the source's allowed origins, redirect-after-post
 * for forms without JavaScript). OPTIONS /v1/leads answers CORS preflights.
 */
export const handler = middy<Event>()
  .use(injectLambdaContext(logger))
  .use(browserFormResponses(table))
  .use(httpErrors())
  .use(authenticate(table, 'source'))
  .use(formSource(table))
  .use(readBody({ accept: WEB_FORM_MEDIA_TYPES, maxBytes: PLAIN_FORM_MAX_BYTES }))
  .handler(async (event) => answerCapturedPost(event, await captureWebFormPost(deps, event.source!, {
    body: event.requestBody, headers: event.headers, receivedAt: new Date(event.requestContext.timeEpoch), sourceIp: event.requestContext.http.sourceIp,
  })));
