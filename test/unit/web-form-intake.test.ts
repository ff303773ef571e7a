import { describe, expect, it } from 'vitest';
import { ClientError, ValidationError } from '../../shared/domain/errors.js';
import type { RequestBody } from '../../shared/http/body.js';
import { readWebFormFields, webFormLead } from '../../shared/use-cases/capture-web-form-lead.js';

function bodyOf(mediaType: string, text: string): RequestBody {
  return { mediaType, raw: Buffer.from(text), text };
}

/** A multipart body as a browser encodes it, with its Content-Type (boundary included). */
async function multipart(parts: Array<[string, string | Blob, string?]>): Promise<{ body: RequestBody; contentType: string }> {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, filename);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const contentType = request.headers.get('content-type')!;
  const raw = Buffer.from(await request.arrayBuffer());
  return { body: { mediaType: 'multipart/form-data', raw, text: raw.toString('utf8') }, contentType };
}

describe('readWebFormFields', () => {
  it('reads urlencoded and JSON bodies into fields in their order', async () => {
    await expect(readWebFormFields(bodyOf('application/x-www-form-urlencoded', 'name=Ann+Lee&email=ann%40x.io'), undefined)).resolves.toEqual([
      ['name', 'Ann Lee'], ['email', 'ann@x.io'],
    ]);
    await expect(readWebFormFields(bodyOf('application/json', '{"email":"a@b.co","consent":true}'), 'application/json')).resolves.toEqual([
      ['email', 'a@b.co'], ['consent', 'true'],
    ]);
  });

  it('reads a multipart body with the boundary from Content-Type and skips file parts', async () => {
    const { body, contentType } = await multipart([
      ['name', 'Zoë Ä'], ['email', 'zoe@example.de'], ['cv', new Blob(['%PDF-1.4 binary']), 'cv.pdf'], ['message', 'line 1\r\nline 2'],
    ]);
    await expect(readWebFormFields(body, contentType)).resolves.toEqual([['name', 'Zoë Ä'], ['email', 'zoe@example.de'], ['message', 'line 1\r\nline 2']]);
  });

  it('answers 400 for a multipart body whose boundary does not match, and for JSON that is not JSON', async () => {
    const { body } = await multipart([['email', 'a@b.co']]);
    await expect(readWebFormFields(body, 'multipart/form-data; boundary=not-the-one')).rejects.toBeInstanceOf(ValidationError);
    const error = await readWebFormFields(bodyOf('application/json', '{"email":'), 'application/json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ statusCode: 400, code: 'invalid_json' });
  });
});

describe('webFormLead', () => {
  it('keeps a lead whose honeypot is filled, marked _honeypot: filled, without the honeypot field', () => {
    const lead = webFormLead([['email', 'bot@spam.io'], ['Website_URL', 'http://spam.io'], ['company', 'Spam']], {});
    expect(lead.person.email).toBe('bot@spam.io');
    expect(lead.answers).toEqual({ company: 'Spam', _honeypot: 'filled' });
  });

  it('drops an empty honeypot field without marking the lead', () => {
    const lead = webFormLead([['email', 'ann@x.io'], ['_gotcha', ' '], ['hp', '']], {});
    expect(lead.answers).toEqual({});
  });

  it('lets the Idempotency-Key header win over a body field and reads phones with the default country', () => {
    const lead = webFormLead([['idempotency_key', 'from-body'], ['phone', '(415) 555-2671']], { idempotencyKey: 'from-header', defaultCountry: 'US' });
    expect(lead.idempotencyKey).toBe('from-header');
    expect(lead.person.phone).toBe('+14155552671');
  });

  it('names every bad field, as POST /v1/leads always has', () => {
    expect(() => webFormLead([['email', 'nope'], ['hp', 'x']], {})).toThrow(ValidationError);
  });
});
