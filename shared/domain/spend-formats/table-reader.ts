import { parse } from 'csv-parse/sync';
import type { RowOutcome, SpendImportOptions } from './spend-file.js';

/**
 * A spreadsheet-like format (CSV, TSV): which line is its header, and what each later line is. Exports
 * put title and date-range lines before the header and total lines after the data; a spec skips them.
 */
export interface TableSpec<C> {
  /** The columns, when these cells are the header line; undefined for lines before it. */
  header(cells: string[]): C | undefined;
  /**
   * A data line's outcome (several when one line covers several days); undefined for lines that are
   * not data (a summary line).
   */
  row(cells: string[], columns: C, line: number, options: SpendImportOptions): RowOutcome | RowOutcome[] | undefined;
}

/** Reads a table line by line, so the same spec serves a request body and a file streamed by the CLI. */
export interface TableReader {
  /** The outcomes of one line: none for lines before the header and lines that are not data. */
  push(cells: string[], line: number): RowOutcome[];
  /** Whether a header line has been found. */
  readonly started: boolean;
}

/** A line-by-line reader for one table format. */
export function tableReader<C>(spec: TableSpec<C>, options: SpendImportOptions): TableReader {
  let columns: C | undefined;
  return {
    push(cells, line) {
      if (columns === undefined) {
        columns = spec.header(cells.map((c) => c.trim()));
        return [];
      }
      if (cells.every((c) => !c.trim())) return [];
      const out = spec.row(cells, columns, line, options);
      return out === undefined ? [] : Array.isArray(out) ? out : [out];
    },
    get started() {
      return columns !== undefined;
    },
  };
}

/** The separator of a delimited text, judged on its first lines: tab, semicolon or comma. */
export function detectDelimiter(text: string): '\t' | ';' | ',' {
  const head = text.slice(0, 8192).split(/\r?\n/).slice(0, 20);
  const most = (ch: string) => Math.max(0, ...head.map((l) => l.split(ch).length - 1));
  const tabs = most('\t');
  const semis = most(';');
  const commas = most(',');
  if (tabs >= 1 && tabs >= commas) return '\t';
  return semis > commas ? ';' : ',';
}

/** The csv-parse options every table format is read with (also by the CLI's stream). */
export function csvOptions(delimiter: string) {
  return {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // Yandex Direct's TSV never quotes; a stray quote in a campaign name must stay part of it.
    quote: delimiter === '\t' ? false : '"',
    info: true,
  } as const;
}

/** Every line of a delimited text with its 1-based line number. */
export function tableLines(text: string): Array<{ cells: string[]; line: number }> {
  const records = parse(text, csvOptions(detectDelimiter(text))) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  return records.map(({ record, info }) => ({ cells: record, line: info.lines }));
}

/** Index of the first header cell that is one of `names` (compared lowercase), or -1. */
export function columnOf(cells: string[], names: readonly string[]): number {
  return cells.findIndex((c) => names.includes(c.trim().toLowerCase()));
}
