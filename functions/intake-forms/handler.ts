import { hookHandler } from '../../shared/intake/hook-handler.js';
import { formAdapters } from '../../shared/sources/forms.js';

/** `/v1/hooks/{html_form|tilda|typeform|webflow|signed_json}/{sourceId}`: web-form webhooks. */
export const handler = hookHandler(formAdapters);
