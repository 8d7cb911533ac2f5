import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors.js';
import { checkMapping, planColumns, rowValues } from './customer-import.columns.js';
import { readCsvRecords, type CsvRecord } from './customer-import.csv.js';

async function read(bytes: Buffer, chunk = 7): Promise<CsvRecord[]> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
  const out: CsvRecord[] = [];
  for await (const record of readCsvRecords(pieces)) out.push(record);
  return out;
}

async function refusal(bytes: Buffer): Promise<DomainError> {
  try {
    await read(bytes);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('read without a refusal');
}

describe('reading CSV', () => {
  it('gives the physical line where each record starts, across CRLF, blank lines and multi-line cells', async () => {
    const text =
      'name,email\r\n"Ada\r\nLovelace",ada@example.com\r\n\r\n"Grace, H",grace@example.com\r\n,\r\nLast,last@example.com';
    // Chunks of 1, 2 and 7 bytes: a CRLF or a quote split between chunks changes nothing.
    for (const chunk of [1, 2, 7, 1000]) {
      const records = await read(Buffer.from(text), chunk);
      expect(records).toEqual([
        { line: 1, fields: ['name', 'email'] },
        { line: 2, fields: ['Ada\r\nLovelace', 'ada@example.com'] },
        { line: 5, fields: ['Grace, H', 'grace@example.com'] },
        { line: 7, fields: ['Last', 'last@example.com'] },
      ]);
    }
  });

  it('drops a UTF-8 BOM, even split between chunks, and keeps multi-byte characters whole', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('name,email\nRézá Ähmed,r@example.com\n'),
    ]);
    for (const chunk of [1, 2, 4]) {
      const records = await read(bytes, chunk);
      expect(records[0]!.fields).toEqual(['name', 'email']);
      expect(records[1]!.fields[0]).toBe('Rézá Ähmed');
    }
  });

  it('refuses bytes that are not UTF-8 (Latin-1 here), saying so', async () => {
    const latin1 = Buffer.from('name,email\nRené,rene@example.com\n', 'latin1');
    const error = await refusal(latin1);
    expect(error.code).toBe('invalid_csv');
    expect(error.message).toMatch(/not valid UTF-8/);
  });

  it('refuses a file that ends inside a sequence (truncated UTF-8)', async () => {
    const error = await refusal(Buffer.concat([Buffer.from('name,email\nR'), Buffer.from([0xc3])]));
    expect(error.message).toMatch(/not valid UTF-8/);
  });

  it('refuses a quote that is never closed, and a quote inside an unquoted cell', async () => {
    expect((await refusal(Buffer.from('name,email\n"Ada,ada@example.com\nB,b@example.com\n'))).message).toMatch(
      /quoted cell is never closed/,
    );
    expect((await refusal(Buffer.from('name,email\nAd"a,ada@example.com\n'))).message).toMatch(/quote sits inside/);
  });
});

describe('recognising columns', () => {
  const plan = (header: string[], mapping: Record<string, string> = {}) => planColumns(header, checkMapping(mapping));

  it("reads Shopify's export: first and last name make the name; Phone before Default Address Phone", () => {
    const p = plan(['First Name', 'Last Name', 'Email', 'Accepts Email Marketing', 'Default Address Phone', 'Phone']);
    expect(p.unknown).toEqual(['Accepts Email Marketing']);
    expect(rowValues(p, ['Ada', 'Lovelace', 'ada@example.com', 'yes', '+8801711000000', ''])).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+8801711000000',
    });
    expect(rowValues(p, ['Ada', '', 'ada@example.com', 'yes', '+8801711000000', '+8801811000000']).phone).toBe(
      '+8801811000000',
    );
  });

  it("reads Stripe's export: id kept as metadata stripe_id, `x (metadata)` columns as metadata", () => {
    const p = plan(['id', 'Description', 'Email', 'Name', 'Phone', 'crm (metadata)']);
    expect(p.mapping).toMatchObject({ id: 'metadata.stripe_id', Email: 'email', 'crm (metadata)': 'metadata.crm' });
    expect(p.unknown).toEqual(['Description']);
    expect(rowValues(p, ['cus_Abc', 'vip', 'a@example.com', 'Ada', '', 'C-1']).metadata).toEqual({
      stripe_id: 'cus_Abc',
      crm: 'C-1',
    });
  });

  it("reads WooCommerce's columns and an explicit mapping; refuses a file with no email column", () => {
    const woo = plan(['first_name', 'last_name', 'email', 'billing_phone']);
    expect(woo.unknown).toEqual([]);
    const mapped = plan(['Full name', 'E-mail address', 'Kundennummer'], {
      'E-mail address': 'email',
      kundennummer: 'metadata.crm_id',
    });
    expect(mapped.mapping).toEqual({ 'Full name': 'name', 'E-mail address': 'email', Kundennummer: 'metadata.crm_id' });
    expect(() => plan(['a', 'b'])).toThrow(/No email column/);
    expect(() => plan(['email'], { email: 'password' })).toThrow(DomainError);
  });
});
