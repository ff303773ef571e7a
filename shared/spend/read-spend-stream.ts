import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { ValidationError } from '../domain/errors.js';
import { parseSpendFile, recognizeSpendFile, TABLE_FORMATS } from '../domain/spend-formats/parse-spend-file.js';
import { checkOptions, collectOutcomes, decodeSpendFile, type RowOutcome, type SpendFormat, type SpendImportOptions } from '../domain/spend-formats/spend-file.js';
import { csvOptions, detectDelimiter, tableReader } from '../domain/spend-formats/table-reader.js';
import type { ParsedSpend } from '../domain/spend.js';

/** How much of a file is read to recognize its format and delimiter. */
const HEAD_BYTES = 64 * 1024;

/** A byte stream decoded as the file's BOM says (UTF-16 LE/BE or UTF-8), chunk by chunk. */
function decoder(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', skip: number): Transform {
  const text = new TextDecoder(encoding);
  let toSkip = skip;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      let bytes: Buffer = chunk;
      if (toSkip) {
        const n = Math.min(toSkip, bytes.length);
        bytes = bytes.subarray(n);
        toSkip -= n;
      }
      done(null, text.decode(bytes, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

/**
 * Reads a spend export from disk with the same parsers as the API. CSV and TSV formats are streamed
 * line by line (memory grows with the distinct days and campaigns kept, not with the file); JSON
 * exports are one document and are read whole. `onBytes` reports progress through the file.
 */
export async function readSpendFileStream(
  path: string,
  options: SpendImportOptions & { format?: string },
  onBytes: (read: number, total: number) => void = () => {},
): Promise<ParsedSpend & { format: SpendFormat }> {
  checkOptions(options);
  const { size } = await stat(path);
  const handle = await open(path, 'r');
  const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
  await handle.read(head, 0, head.length, 0);
  await handle.close();
  const headText = decodeSpendFile(head);
  const trimmed = headText.trimStart();
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  const named = options.format;
  if (named ? !TABLE_FORMATS[named as SpendFormat] : looksJson) {
    const bytes = await readFile(path);
    onBytes(size, size);
    return parseSpendFile(bytes, options);
  }
  if (!headText.trim()) throw new ValidationError('the file is empty');
  // The head may end mid-line; recognizing needs only the first lines.
  const { format } = recognizeSpendFile(headText.slice(0, headText.lastIndexOf('\n') + 1 || undefined), named);
  const encoding = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : 'utf-8';
  const reader = tableReader(TABLE_FORMATS[format]!, options);
  const outcomes: RowOutcome[] = [];
  let read = 0;
  const bytes = createReadStream(path);
  bytes.on('data', (chunk) => {
    read += chunk.length;
    onBytes(read, size);
  });
  const records = bytes.pipe(decoder(encoding, encoding === 'utf-8' ? 0 : 2)).pipe(parse(csvOptions(detectDelimiter(headText))));
  for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    outcomes.push(...reader.push(record, info.lines));
  }
  if (!reader.started) throw new ValidationError(`no header line of a ${format} file was found`);
  return { format, ...collectOutcomes(outcomes) };
}
