import type { SourceAdapter } from './adapter.js';
import { htmlFormAdapter } from './html-form.js';
import { signedJsonAdapter } from './signed-json.js';
import { tildaAdapter } from './tilda.js';
import { typeformAdapter } from './typeform.js';
import { webflowAdapter } from './webflow.js';

/** The adapters the forms intake function serves, one per provider in `POST /v1/hooks/{provider}/{sourceId}`. */
export const formAdapters: SourceAdapter[] = [tildaAdapter, typeformAdapter, webflowAdapter, signedJsonAdapter, htmlFormAdapter];
