import { hookHandler } from '../../shared/intake/hook-handler.js';
import { callAdapters } from '../../shared/sources/calls.js';

/** `/v1/hooks/{twilio|callrail|mango_office|zadarma|call_webhook}/{sourceId}`: telephony and call-tracking webhooks. */
export const handler = hookHandler(callAdapters);
