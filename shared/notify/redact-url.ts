/**
 * A URL as it may appear in a log line or an error message: scheme, host and path, with any user info
 * dropped and every query value replaced by `…` (names stay, so an operator can tell which URL it was).
 * Webhook URLs often carry their credentials; logs are read by more people than the admin API.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(a URL that cannot be parsed)';
  }
  const names = [...parsed.searchParams.keys()];
  const query = names.length ? `?${names.map((n) => `${encodeURIComponent(n)}=…`).join('&')}` : '';
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
}

/** A message with every occurrence of `url` (as given, and as the URL parser writes it) redacted. */
export function withoutUrl(message: string, url: string): string {
  let safe = message;
  const forms = new Set([url]);
  try {
    forms.add(new URL(url).href);
  } catch {
    // only the given form then
  }
  for (const form of forms) safe = safe.split(form).join(redactUrl(url));
  return safe;
}
