// A practical address check: one @, a dot in the domain, no spaces. RFC 5322 allows more, senders do not.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Trims and lowercases an email address; undefined when it is not one. */
export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  return EMAIL.test(email) && email.length <= 254 ? email : undefined;
}

const FREE_EMAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com',
  'aol.com', 'icloud.com', 'me.com', 'mail.ru', 'yandex.ru', 'ya.ru', 'gmx.de', 'gmx.net', 'web.de',
  'proton.me', 'protonmail.com', 'zoho.com', 'bk.ru', 'inbox.ru', 'list.ru', 'rambler.ru',
]);

/** True for addresses at consumer mailbox providers rather than a company's own domain. */
export function isFreeEmail(email: string): boolean {
  return FREE_EMAIL_DOMAINS.has(email.slice(email.lastIndexOf('@') + 1));
}
