import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldProblem } from '../../shared/domain/errors.js';
import { fieldsFromJson, parseWebForm, type FormFields } from '../../shared/sources/web-form.js';

/** Runs `fn`, expecting a ValidationError, and returns it for inspection. */
function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

function problemsOf(fields: FormFields, options?: { defaultCountry?: string }): FieldProblem[] {
  return validationErrorOf(() => parseWebForm(fields, options)).fields;
}

describe('parseWebForm', () => {
  it('reads a typical contact form into a canonical web-form lead', () => {
    const lead = parseWebForm(
      [
        ['name', 'Ann Lee'],
        ['email', ' Ann@Acme.COM '],
        ['phone', '8 916 123-45-67'],
        ['message', 'Call me after 5'],
        ['company_size', '50-200'],
      ],
      { defaultCountry: 'RU' },
    );
    expect(lead).toEqual({
      channel: 'web_form',
      provider: 'html_form',
      externalIds: {},
      person: { name: 'Ann Lee', email: 'ann@acme.com', phone: '+79161234567' },
      message: 'Call me after 5',
      answers: { company_size: '50-200' },
      attribution: {},
      isTest: false,
    });
  });

  it('recognizes field aliases regardless of case, spaces, dashes and dots', () => {
    const lead = parseWebForm([
      ['Your Name', 'Ann Lee'],
      ['E-Mail', 'ann@acme.com'],
      ['Phone.Number', '+16505550123'],
      ['comments', 'hello'],
      ['Landing Page', 'https://acme.com/demo'],
      ['referer', 'https://google.com/'],
      ['Idempotency-Key', 'sub-1'],
    ]);
    expect(lead.person).toEqual({ name: 'Ann Lee', email: 'ann@acme.com', phone: '+16505550123' });
    expect(lead.message).toBe('hello');
    expect(lead.attribution.landingPage).toBe('https://acme.com/demo');
    expect(lead.attribution.referrer).toBe('https://google.com/');
    expect(lead.idempotencyKey).toBe('sub-1');
    expect(lead.answers).toEqual({});
  });

  it('keeps unknown fields as answers under their own names', () => {
    const lead = parseWebForm([
      ['email', 'ann@acme.com'],
      ['Budget', '10k'],
      ['how did you hear', 'podcast'],
    ]);
    expect(lead.answers).toEqual({ Budget: '10k', 'how did you hear': 'podcast' });
  });

  it('joins the values of a repeated unknown field with commas', () => {
    const lead = parseWebForm([
      ['email', 'ann@acme.com'],
      ['interest', 'crm'],
      ['interest', ''],
      ['interest', 'billing'],
    ]);
    expect(lead.answers).toEqual({ interest: 'crm, billing' });
  });

  it('keeps the first non-empty value of a repeated recognized field', () => {
    const lead = parseWebForm([
      ['email', '  '],
      ['email', 'first@acme.com'],
      ['Email', 'second@acme.com'],
    ]);
    expect(lead.person.email).toBe('first@acme.com');
  });

  it('does not keep attribution parameters or empty fields as answers', () => {
    const lead = parseWebForm([
      ['email', 'ann@acme.com'],
      [' UTM_Source ', 'google'],
      ['gclid', 'abc'],
      ['notes', '   '],
    ]);
    expect(lead.answers).toEqual({});
    expect(lead.attribution).toEqual({ utm_source: 'google', gclid: 'abc' });
  });

  it('joins first and last name into the name when no full name is given', () => {
    const lead = parseWebForm([
      ['first_name', 'Ann'],
      ['last_name', 'Lee'],
      ['email', 'ann@acme.com'],
    ]);
    expect(lead.person).toEqual({ name: 'Ann Lee', firstName: 'Ann', lastName: 'Lee', email: 'ann@acme.com' });
  });

  it('uses a lone first or last name as the name', () => {
    expect(parseWebForm([['firstname', 'Ann'], ['email', 'a@acme.com']]).person.name).toBe('Ann');
    expect(parseWebForm([['surname', 'Lee'], ['email', 'a@acme.com']]).person.name).toBe('Lee');
  });

  it('keeps a full name over the joined first and last name', () => {
    const lead = parseWebForm([
      ['full_name', 'Dr. Ann Lee'],
      ['given_name', 'Ann'],
      ['family_name', 'Lee'],
      ['email', 'ann@acme.com'],
    ]);
    expect(lead.person.name).toBe('Dr. Ann Lee');
  });

  it('cuts the name to 200 characters and first and last names to 100', () => {
    const lead = parseWebForm([
      ['name', 'n'.repeat(250)],
      ['first_name', 'f'.repeat(150)],
      ['last_name', 'l'.repeat(150)],
      ['email', 'ann@acme.com'],
    ]);
    expect(lead.person.name).toHaveLength(200);
    expect(lead.person.firstName).toHaveLength(100);
    expect(lead.person.lastName).toHaveLength(100);
  });

  it('accepts a lead with only a phone', () => {
    const lead = parseWebForm([['tel', '(650) 555-0123']], { defaultCountry: 'US' });
    expect(lead.person).toEqual({ phone: '+16505550123' });
  });

  it('reads attribution from fields, the page URL and the referrer together', () => {
    const lead = parseWebForm([
      ['email', 'ann@acme.com'],
      ['utm_source', 'newsletter'],
      ['page_url', 'https://acme.com/?utm_source=google&utm_campaign=spring'],
      ['referrer', 'https://news.example.com/?utm_medium=email'],
    ]);
    expect(lead.attribution).toEqual({
      utm_source: 'newsletter',
      utm_campaign: 'spring',
      utm_medium: 'email',
      landingPage: 'https://acme.com/?utm_source=google&utm_campaign=spring',
      referrer: 'https://news.example.com/?utm_medium=email',
    });
  });

  it('names both contact fields when neither an email nor a phone is given', () => {
    expect(problemsOf([['name', 'Ann']])).toEqual([
      { field: 'email', problem: 'an email or a phone is required to reach the person' },
      { field: 'phone', problem: 'an email or a phone is required to reach the person' },
    ]);
  });

  it('treats blank email and phone values as missing', () => {
    expect(problemsOf([['email', '  '], ['phone', '']]).map((p) => p.field)).toEqual(['email', 'phone']);
  });

  it('names an invalid email with the value the sender wrote', () => {
    expect(problemsOf([['email', 'ann@localhost']])).toEqual([
      { field: 'email', problem: '"ann@localhost" is not an email address' },
    ]);
  });

  it('names an invalid phone with the value the sender wrote', () => {
    expect(problemsOf([['email', 'ann@acme.com'], ['phone', '12345']], { defaultCountry: 'US' })).toEqual([
      { field: 'phone', problem: '"12345" is not a valid phone number' },
    ]);
  });

  it('names every bad field in one error', () => {
    const error = validationErrorOf(() =>
      parseWebForm([
        ['email', 'not-an-email'],
        ['phone', 'nope'],
        ['page_url', 'javascript:alert(1)'],
        ['referrer', 'ftp://files.example.com/'],
        ['idempotency_key', 'k'.repeat(201)],
        ['notes', 'x'.repeat(10_001)],
      ]),
    );
    expect(error.message).toBe('the lead has invalid or missing fields');
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.fields).toEqual([
      { field: 'notes', problem: 'is longer than 10000 characters' },
      { field: 'email', problem: '"not-an-email" is not an email address' },
      { field: 'phone', problem: '"nope" is not a valid phone number' },
      { field: 'page_url', problem: 'must be an http or https URL' },
      { field: 'referrer', problem: 'must be an http or https URL' },
      { field: 'idempotency_key', problem: 'must be at most 200 characters' },
    ]);
  });

  it('quotes at most 100 characters of a bad email and 50 of a bad phone', () => {
    const problems = problemsOf([['email', 'e'.repeat(300)], ['phone', '9'.repeat(300)]], { defaultCountry: 'US' });
    expect(problems).toEqual([
      { field: 'email', problem: `"${'e'.repeat(100)}" is not an email address` },
      { field: 'phone', problem: `"${'9'.repeat(50)}" is not a valid phone number` },
    ]);
  });

  it('accepts a value of exactly 10000 characters and names the field of a longer one', () => {
    const ok = parseWebForm([['email', 'ann@acme.com'], ['essay', 'x'.repeat(10_000)]]);
    expect(ok.answers.essay).toHaveLength(10_000);
    expect(problemsOf([['email', 'ann@acme.com'], ['essay', 'x'.repeat(10_001)]])).toEqual([
      { field: 'essay', problem: 'is longer than 10000 characters' },
    ]);
  });

  it('measures value length after trimming', () => {
    const lead = parseWebForm([['email', 'ann@acme.com'], ['essay', `  ${'x'.repeat(10_000)}  `]]);
    expect(lead.answers.essay).toHaveLength(10_000);
  });

  it('accepts an idempotency key of exactly 200 characters', () => {
    const lead = parseWebForm([['email', 'ann@acme.com'], ['idempotency_key', 'k'.repeat(200)]]);
    expect(lead.idempotencyKey).toBe('k'.repeat(200));
  });

  it('accepts 200 fields and refuses 201 with a message that gives the count', () => {
    const fields = (n: number): FormFields => [
      ['email', 'ann@acme.com'],
      ...Array.from({ length: n - 1 }, (_, i): [string, string] => [`q${i}`, 'a']),
    ];
    expect(Object.keys(parseWebForm(fields(200)).answers)).toHaveLength(199);
    const error = validationErrorOf(() => parseWebForm(fields(201)));
    expect(error.message).toBe('a form may have at most 200 fields, this one has 201');
  });

  it('omits message and idempotency key when they are not given', () => {
    const lead = parseWebForm([['email', 'ann@acme.com']]);
    expect('message' in lead).toBe(false);
    expect('idempotencyKey' in lead).toBe(false);
  });

  it('keeps fields named like Object.prototype members as ordinary answers', () => {
    const lead = parseWebForm([
      ['email', 'ann@acme.com'],
      ['toString', 'yes'],
      ['constructor', 'acme builders'],
      ['__proto__', 'z'],
    ]);
    expect(Object.entries(lead.answers)).toEqual([
      ['toString', 'yes'],
      ['constructor', 'acme builders'],
      // DynamoDB's marshaller cannot store a map key named __proto__, so answers keep it as _proto_.
      ['_proto_', 'z'],
    ]);
  });
});

describe('fieldsFromJson', () => {
  it('turns a flat JSON object into form fields, stringifying numbers and booleans', () => {
    expect(fieldsFromJson({ name: 'Ann', phone: 16505550123, consent: true })).toEqual([
      ['name', 'Ann'],
      ['phone', '16505550123'],
      ['consent', 'true'],
    ]);
  });

  it('turns an array of scalars into repeated fields', () => {
    expect(fieldsFromJson({ interest: ['crm', 'billing', 3] })).toEqual([
      ['interest', 'crm'],
      ['interest', 'billing'],
      ['interest', '3'],
    ]);
  });

  it('skips null values, including nulls inside arrays', () => {
    expect(fieldsFromJson({ a: null, b: ['x', null], c: 'y' })).toEqual([
      ['b', 'x'],
      ['c', 'y'],
    ]);
  });

  it('rejects a nested object and names its key', () => {
    const error = validationErrorOf(() => fieldsFromJson({ email: 'a@acme.com', address: { city: 'Oslo' } }));
    expect(error.message).toBe('some fields have values leadflow cannot read');
    expect(error.fields).toEqual([
      { field: 'address', problem: 'must be a string, number, boolean or a list of them' },
    ]);
  });

  it('names each key whose array holds a nested value', () => {
    const error = validationErrorOf(() => fieldsFromJson({ tags: ['ok', { x: 1 }], matrix: [[1, 2]], fine: 'x' }));
    expect(error.fields.map((p) => p.field)).toEqual(['tags', 'matrix']);
  });

  it('rejects bodies that are not JSON objects', () => {
    for (const body of [null, 'email=a@acme.com', 42, ['email', 'a@acme.com']]) {
      const error = validationErrorOf(() => fieldsFromJson(body));
      expect(error.message).toBe('the body must be a JSON object of form fields');
      expect(error.fields).toEqual([]);
    }
  });

  it('feeds parseWebForm so a JSON number phone is read with the default country', () => {
    const lead = parseWebForm(fieldsFromJson({ email: 'ann@acme.com', phone: 16505550123 }), { defaultCountry: 'US' });
    expect(lead.person.phone).toBe('+16505550123');
  });
});
