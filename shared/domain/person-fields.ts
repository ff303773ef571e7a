import type { Person } from '../../events/lead-captured.js';
import { normalizeEmail } from './normalize-email.js';
import { normalizePhone } from './normalize-phone.js';

/** What a provider's body said about the person, as found, before normalizing. */
export interface PersonFields {
  name?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
}

/**
 * Builds the person from what a machine sender (an ad platform, a form service) said, leniently: such
 * senders retry a 400 and cannot fix the lead, so an email that is not one is kept as an answer (under
 * `badEmailAnswer`) and a phone that is not valid as `phoneRaw`, rather than refusing the lead. Names are
 * bounded, and a full name is made from first and last when none was given.
 */
export function personFromFields(
  found: PersonFields,
  options: { defaultCountry?: string; answers: Record<string, string>; badEmailAnswer: string },
): Person {
  const person: Person = {};
  if (found.name) person.name = found.name.slice(0, 200);
  if (found.firstName) person.firstName = found.firstName.slice(0, 100);
  if (found.lastName) person.lastName = found.lastName.slice(0, 100);
  if (!person.name && (person.firstName || person.lastName)) {
    person.name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  }
  if (found.email) {
    const email = normalizeEmail(found.email);
    if (email) person.email = email;
    else options.answers[options.badEmailAnswer] = found.email;
  }
  if (found.phone) {
    const phone = normalizePhone(found.phone, options.defaultCountry);
    if (phone) person.phone = phone;
    else person.phoneRaw = found.phone.slice(0, 100);
  }
  return person;
}
