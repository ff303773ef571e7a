import Big from 'big.js';

/** Which character a file writes between whole and fraction when a number alone cannot tell (`1,234`). */
export type DecimalMark = '.' | ',';

/** What exports write for "no value". */
const NONE = new Set(['', '--', '-', '—', '–', 'n/a', 'н/д']);

/**
 * Reads a number as spreadsheets and ad-platform exports write it: thousands separators (`1,234.56`,
 * `1.234,56`, `1 234,56` with a no-break space, `1'234.56`), a currency sign or code around it, `--` for
 * none (undefined). When one separator appears once before exactly three digits (`1,234`), `mark` says
 * whether it is the decimal point. Anything else that is not a number is undefined too.
 */
export function parseLocalizedNumber(text: string | undefined, mark: DecimalMark): Big | undefined {
  if (text === undefined) return undefined;
  let s = text.trim();
  if (NONE.has(s.toLowerCase())) return undefined;
  s = s.replace(/[\s\u00a0\u202f\u2009']/g, '');
  const negative = /^-|^\(.*\)$/.test(s);
  // A currency sign or code before or after the digits ($, €, ₽, RUB, "USD 12").
  s = s.replace(/^[^\d.,]+/, '').replace(/[^\d.,]+$/, '');
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return undefined;
  const dot = s.lastIndexOf('.');
  const comma = s.lastIndexOf(',');
  let decimalAt = -1;
  if (dot >= 0 && comma >= 0) decimalAt = Math.max(dot, comma);
  else if (dot >= 0 || comma >= 0) {
    const sep = dot >= 0 ? '.' : ',';
    const at = Math.max(dot, comma);
    const count = s.split(sep).length - 1;
    const after = s.length - at - 1;
    if (count === 1 && (after !== 3 || sep === mark)) decimalAt = at;
  }
  const whole = (decimalAt >= 0 ? s.slice(0, decimalAt) : s).replace(/[.,]/g, '');
  const fraction = decimalAt >= 0 ? s.slice(decimalAt + 1) : '';
  if (/[.,]/.test(fraction)) return undefined;
  const value = new Big(`${whole || '0'}${fraction ? `.${fraction}` : ''}`);
  return negative ? value.times(-1) : value;
}

/** A whole count from an export ("1,234", "1 234", "--" for none); undefined when it is not one. */
export function parseCount(text: string | number | undefined, mark: DecimalMark = '.'): number | undefined {
  if (typeof text === 'number') return Number.isSafeInteger(text) ? text : undefined;
  const n = parseLocalizedNumber(text, mark);
  if (!n || !n.eq(n.round(0))) return undefined;
  return Number(n.toFixed(0));
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A report's day as YYYY-MM-DD: ISO (`2026-11-01`, also with a time after it), day-first with dots
 * (`01.11.2026`, Russian and German exports), slashes (month first when `monthFirst`, as US English
 * writes), or English month names (`Nov 1, 2026`, `Sun, Nov 1, 2026`, `1 Nov 2026`). Undefined otherwise.
 */
export function parseReportDay(text: string | undefined, monthFirst = false): string | undefined {
  if (!text) return undefined;
  const s = text.trim();
  let y: number, m: number, d: number;
  let match = s.match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = s.match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = s.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (monthFirst) [d, m] = [m, d];
  } else if ((match = s.match(/^(?:[A-Za-z]{3},\s*)?([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4})$/))) {
    [m, d, y] = [MONTHS[match[1]!.toLowerCase()] ?? 0, Number(match[2]), Number(match[3])];
  } else if ((match = s.match(/^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$/))) {
    [d, m, y] = [Number(match[1]), MONTHS[match[2]!.toLowerCase()] ?? 0, Number(match[3])];
  } else return undefined;
  const day = `${y}-${pad(m)}-${pad(d)}`;
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(day) ? day : undefined;
}
