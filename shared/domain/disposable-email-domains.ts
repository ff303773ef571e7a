/**
 * Well-known disposable (throwaway) mailbox domains. A lead whose address is at one of them gave an
 * address nobody reads after ten minutes. The list is deliberately short and unsurprising: the services
 * people name when they talk about throwaway mail. Subdomains count (`x.mailinator.com`).
 */
const DISPOSABLE_DOMAINS = new Set([
  '0-mail.com', '10minutemail.com', '10minutemail.net', '10minutemail.co.uk', '20minutemail.com',
  '33mail.com', 'anonbox.net', 'anonymbox.com', 'binkmail.com', 'bobmail.info', 'burnermail.io',
  'chammy.info', 'deadaddress.com', 'despam.it', 'discard.email', 'discardmail.com', 'discardmail.de',
  'dispostable.com', 'dodgit.com', 'dropmail.me', 'e4ward.com', 'emailondeck.com', 'emailsensei.com',
  'emailtemporanea.com', 'fakeinbox.com', 'fakemail.net', 'fastacura.com', 'filzmail.com',
  'getairmail.com', 'getnada.com', 'guerrillamail.biz', 'guerrillamail.com', 'guerrillamail.de',
  'guerrillamail.info', 'guerrillamail.net', 'guerrillamail.org', 'guerrillamailblock.com', 'harakirimail.com',
  'incognitomail.com', 'incognitomail.org', 'inboxbear.com', 'jetable.org', 'kasmail.com', 'klzlk.com',
  'mail-temp.com', 'mailcatch.com', 'maildrop.cc', 'mailexpire.com', 'mailinator.com', 'mailinator.net',
  'mailinator2.com', 'mailnesia.com', 'mailnull.com', 'mailsac.com', 'mailtemp.info', 'meltmail.com',
  'mintemail.com', 'mohmal.com', 'moakt.com', 'mt2015.com', 'mytemp.email', 'mytrashmail.com', 'nada.email',
  'no-spam.ws', 'nospamfor.us', 'nwytg.net', 'one-time.email', 'owlymail.com', 'pookmail.com',
  'put2.net', 'rcpt.at', 'sharklasers.com', 'spam4.me', 'spamavert.com', 'spambog.com', 'spambox.us',
  'spamex.com', 'spamfree24.org', 'spamgourmet.com', 'spamhole.com', 'spaml.com', 'spammotel.com',
  'tempail.com', 'tempemail.net', 'tempinbox.com', 'tempmail.com', 'tempmail.net', 'tempmail.plus',
  'temp-mail.io', 'temp-mail.org', 'tempmailaddress.com', 'tempmailo.com', 'tempr.email', 'throwawaymail.com',
  'trash-mail.com', 'trashmail.com', 'trashmail.de', 'trashmail.net', 'trashmail.ws', 'trbvm.com',
  'wegwerfmail.de', 'wegwerfmail.net', 'yopmail.com', 'yopmail.fr', 'yopmail.net', 'zetmail.com',
]);

/** True for an address at a disposable mailbox domain, or at a subdomain of one. */
export function isDisposableEmail(email: string): boolean {
  let domain = email.slice(email.lastIndexOf('@') + 1).trim().toLowerCase();
  while (domain.includes('.')) {
    if (DISPOSABLE_DOMAINS.has(domain)) return true;
    domain = domain.slice(domain.indexOf('.') + 1);
  }
  return false;
}

/** How many domains the built-in list holds (documented in the README). */
export const DISPOSABLE_DOMAIN_COUNT = DISPOSABLE_DOMAINS.size;
