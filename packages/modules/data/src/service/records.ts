import { readFileSync } from 'node:fs';
import { PujiangError } from '@pujiang/types';

/**
 * One dataset's records as the agency holds them: a JSON Lines file (one record per line),
 * indexed by the field that names each record's subject. Read at start; the data service
 * delivers from memory.
 */
export class DatasetRecords {
  private readonly bySubject = new Map<string, Record<string, unknown>[]>();
  readonly all: readonly Record<string, unknown>[];

  constructor(
    readonly dataset: string,
    records: readonly Record<string, unknown>[],
    readonly subjectField: string,
  ) {
    this.all = records;
    for (const record of records) {
      const subject = record[subjectField];
      if (typeof subject !== 'string') continue;
      const list = this.bySubject.get(subject) ?? [];
      list.push(record);
      this.bySubject.set(subject, list);
    }
  }

  /** Reads a JSON Lines file (`DATA_SERVICE_UNAVAILABLE` naming the line that does not parse). */
  static fromFile(dataset: string, path: string, subjectField: string): DatasetRecords {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new PujiangError('DATA_SERVICE_UNAVAILABLE', `cannot read ${path}: ${(error as Error).message}`, {
        path,
      });
    }
    const records: Record<string, unknown>[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let record: unknown;
      let unsafe = false;
      try {
        // A number past 2^53 would be changed by parsing: refused, so what is delivered is what is held.
        record = JSON.parse(line, (_key, value) => {
          if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value))
            unsafe = true;
          return value;
        });
      } catch {
        throw new PujiangError('DATA_SERVICE_UNAVAILABLE', `${path}:${i + 1} is not JSON`, {
          path,
          line: i + 1,
        });
      }
      if (unsafe)
        throw new PujiangError(
          'DATA_SERVICE_UNAVAILABLE',
          `${path}:${i + 1} has an integer past 2^53: write it as a string`,
          { path, line: i + 1 },
        );
      if (typeof record !== 'object' || record === null || Array.isArray(record))
        throw new PujiangError('DATA_SERVICE_UNAVAILABLE', `${path}:${i + 1} is not a JSON object`, {
          path,
          line: i + 1,
        });
      records.push(record as Record<string, unknown>);
    });
    return new DatasetRecords(dataset, records, subjectField);
  }

  /** The records of one subject (empty when none). */
  of(subject: string): readonly Record<string, unknown>[] {
    return this.bySubject.get(subject) ?? [];
  }
}
