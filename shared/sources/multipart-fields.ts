import { ValidationError } from '../domain/errors.js';
import type { InboundRequest } from './adapter.js';
import type { FormFields } from './web-form.js';

/**
 * Reads a multipart/form-data body with the runtime's own parser (the boundary comes from the
 * Content-Type header). File parts are skipped: a lead is text. Async, so adapters' sync `parse`
 * cannot call it; intake paths await it and hand on the fields.
 */
export async function readMultipartFields(request: Pick<InboundRequest, 'headers' | 'mediaType' | 'raw'>): Promise<FormFields> {
  const contentType = request.headers['content-type'] ?? request.mediaType;
  let form: FormData;
  try {
    form = await new Response(request.raw, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw new ValidationError(`the multipart body cannot be read: ${(error as Error).message}`);
  }
  const fields: FormFields = [];
  for (const [key, value] of form) if (typeof value === 'string') fields.push([key, value]);
  return fields;
}
