import type { DecimalMark } from './numbers.js';
import { parseCount, parseLocalizedNumber, parseReportDay } from './numbers.js';
import { rowOutcome } from './spend-file.js';
import { columnOf, type TableSpec } from './table-reader.js';

/*
 * A report downloaded from the Google Ads UI (Reports, or a campaigns table → Download → CSV): a title
 * line and a date-range line, then the header, then one line per campaign and day, then "Total: ..."
 * lines. Column names follow the user's interface language; numbers carry that language's thousands
 * separators; `--` stands for no value. Following support.google.com/google-ads/answer/2375435 (download
 * a report) and the column names Google Ads shows in English, Russian, German, Spanish, French, Italian
 * and Portuguese.
 */

type Lang = 'en' | 'ru' | 'de' | 'es' | 'fr' | 'it' | 'pt';

const NAMES = {
  day: { en: ['day', 'date'], ru: ['день', 'дата'], de: ['tag', 'datum'], es: ['día', 'dia', 'fecha'], fr: ['jour', 'date'], it: ['giorno', 'data'], pt: ['dia', 'data'] },
  cost: { en: ['cost'], ru: ['стоимость', 'расходы', 'цена'], de: ['kosten'], es: ['coste', 'costo'], fr: ['coût', 'cout'], it: ['costo'], pt: ['custo'] },
  campaign: { en: ['campaign'], ru: ['кампания'], de: ['kampagne'], es: ['campaña'], fr: ['campagne'], it: ['campagna'], pt: ['campanha'] },
  campaignId: {
    en: ['campaign id'], ru: ['идентификатор кампании', 'id кампании'], de: ['kampagnen-id', 'kampagnen id'], es: ['id de campaña', 'id. de campaña', 'id de la campaña'],
    fr: ['id de campagne', 'id de la campagne'], it: ['id campagna'], pt: ['id da campanha'],
  },
  currency: {
    en: ['currency code', 'currency'], ru: ['код валюты', 'валюта'], de: ['währungscode', 'währung'], es: ['código de moneda', 'moneda', 'código de divisa'],
    fr: ['code de la devise', 'devise'], it: ['codice valuta', 'valuta'], pt: ['código da moeda', 'moeda'],
  },
  clicks: { en: ['clicks'], ru: ['клики'], de: ['klicks'], es: ['clics'], fr: ['clics'], it: ['clic'], pt: ['cliques'] },
  impressions: { en: ['impr.', 'impressions'], ru: ['показы'], de: ['impr.', 'impressionen'], es: ['impr.', 'impresiones'], fr: ['impr.', 'impressions'], it: ['impr.', 'impressioni'], pt: ['impr.', 'impressões'] },
  customerId: { en: ['customer id', 'account id'], ru: ['идентификатор клиента', 'id клиента'], de: ['kundennummer', 'kunden-id'], es: ['id de cliente', 'id. de cliente'], fr: ['id client'], it: ['id cliente'], pt: ['id do cliente'] },
  adGroupId: { en: ['ad group id'], ru: ['идентификатор группы объявлений', 'id группы объявлений'], de: ['anzeigengruppen-id'], es: ['id del grupo de anuncios'], fr: ["id du groupe d'annonces"], it: ['id gruppo di annunci'], pt: ['id do grupo de anúncios'] },
  adId: { en: ['ad id'], ru: ['идентификатор объявления', 'id объявления'], de: ['anzeigen-id'], es: ['id del anuncio'], fr: ["id de l'annonce"], it: ['id annuncio'], pt: ['id do anúncio'] },
} satisfies Record<string, Record<Lang, string[]>>;

const LANGS: Lang[] = ['en', 'ru', 'de', 'es', 'fr', 'it', 'pt'];
/** Languages that write 1.234,56; English writes 1,234.56. */
const COMMA_DECIMAL = new Set<Lang>(['ru', 'de', 'es', 'fr', 'it', 'pt']);
const TOTAL = /^(total|totals|всего|итого|gesamt|insgesamt|totale|totaal|summe)\b/i;

interface Columns {
  lang: Lang;
  mark: DecimalMark;
  day: number;
  cost: number;
  campaign: number;
  campaignId: number;
  currency: number;
  clicks: number;
  impressions: number;
  customerId: number;
  adGroupId: number;
  adId: number;
}

/** The header of a Google Ads UI report in one of the languages above, with the language it is in. */
export function googleAdsHeader(cells: string[]): Columns | undefined {
  for (const lang of LANGS) {
    const day = columnOf(cells, NAMES.day[lang]);
    const cost = columnOf(cells, NAMES.cost[lang]);
    if (day < 0 || cost < 0) continue;
    const col = (name: keyof typeof NAMES) => columnOf(cells, NAMES[name][lang]);
    return {
      lang, mark: COMMA_DECIMAL.has(lang) ? ',' : '.', day, cost,
      campaign: col('campaign'), campaignId: col('campaignId'), currency: col('currency'), clicks: col('clicks'),
      impressions: col('impressions'), customerId: col('customerId'), adGroupId: col('adGroupId'), adId: col('adId'),
    };
  }
  return undefined;
}

const cell = (cells: string[], i: number) => (i >= 0 ? cells[i]?.trim() : undefined);
const value = (cells: string[], i: number) => {
  const v = cell(cells, i);
  return v === '--' || v === '' ? undefined : v;
};

export const googleAdsCsv: TableSpec<Columns> = {
  header: googleAdsHeader,
  row(cells, c, line, options) {
    if (cells.slice(0, 3).some((v) => TOTAL.test(v.trim()))) return { row: line, skip: 'a total line, not one campaign’s day' };
    const rawCost = cell(cells, c.cost);
    const amount = parseLocalizedNumber(rawCost, c.mark);
    const date = cell(cells, c.day);
    const day = parseReportDay(date, c.lang === 'en');
    if (date && !day) return { row: line, skip: `"${date}" is not a day this importer can read (write it YYYY-MM-DD)` };
    if (rawCost && rawCost !== '--' && !amount) return { row: line, skip: `the cost "${rawCost}" is not a number` };
    return rowOutcome('google_ads_csv', line, {
      date: day,
      platform: 'google_ads',
      accountId: value(cells, c.customerId),
      campaignId: value(cells, c.campaignId),
      campaignName: value(cells, c.campaign),
      adGroupId: value(cells, c.adGroupId),
      adId: value(cells, c.adId),
      amount,
      currency: value(cells, c.currency),
      clicks: parseCount(value(cells, c.clicks), c.mark),
      impressions: parseCount(value(cells, c.impressions), c.mark),
    }, options);
  },
};
