import { ClientError } from './errors.js';

/**
 * Parses a JSON body, answering 400 `invalid_json` with the parser's words when it is not JSON: the one
 * JSON body parse of every API and webhook, so each answers a broken body the same way.
 */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ClientError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
}
