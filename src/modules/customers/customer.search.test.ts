import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../../test/support/backends.js';
import { startTestPaydesk, type TestBrand, type TestPaydesk } from '../../../test/support/harness.js';
import {
  customersApi,
  newCustomer,
  type CustomerJson,
  type CustomerListJson,
} from '../../../test/support/customers.js';

const EMPTY_LIST = { object: 'list', data: [], has_more: false, next_cursor: null };

describeBackends('searching customers (%s)', (backend) => {
  let paydesk: TestPaydesk;
  beforeAll(async () => {
    paydesk = await startTestPaydesk(backend);
  });
  afterAll(() => paydesk?.close());

  async function searchPage(brand: TestBrand, q: string, params = ''): Promise<CustomerListJson> {
    const response = await customersApi(paydesk, brand.token).list(`q=${encodeURIComponent(q)}${params}`);
    expect(response.statusCode, `q=${JSON.stringify(q)}: ${response.body}`).toBe(200);
    return response.json<CustomerListJson>();
  }

  /** Follows next_cursor to the end; returns every page's ids. */
  async function searchPages(brand: TestBrand, q: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 50; n++) {
      const page: CustomerListJson = await searchPage(brand, q, `&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(limit);
      pages.push(page.data.map((c) => c.id));
      if (!page.has_more) {
        expect(page.next_cursor).toBeNull();
        return pages;
      }
      expect(page.next_cursor).toEqual(expect.any(String));
      cursor = page.next_cursor;
    }
    throw new Error(`search ${JSON.stringify(q)} did not end`);
  }

  /** The ids a search finds, in order, across every page. */
  const found = async (brand: TestBrand, q: string, limit = 100) => (await searchPages(brand, q, limit)).flat();

  const ids = (...customers: CustomerJson[]) => customers.map((c) => c.id);

  it('finds a part of a name, an email or a phone number, anywhere in it', async () => {
    const brand = await paydesk.newBrand();
    const ayesha = await newCustomer(paydesk, brand, {
      name: 'Ayesha Rahman',
      email: 'ar@kestrel.com',
      phone: '+8801712345678',
    });
    const bilal = await newCustomer(paydesk, brand, {
      name: 'Bilal Chowdhury',
      email: 'bilal.chowdhury@hummingbird.net',
    });
    const carla = await newCustomer(paydesk, brand, {
      name: 'Carla Smith',
      email: 'cs@osprey.org',
      phone: '+8801898765432',
    });

    // name
    expect(await found(brand, 'esha rah')).toEqual(ids(ayesha));
    expect(await found(brand, 'HMAN')).toEqual(ids(ayesha));
    expect(await found(brand, 'smith')).toEqual(ids(carla));
    // email
    expect(await found(brand, 'mingbi')).toEqual(ids(bilal));
    expect(await found(brand, 'chowdhury@hum')).toEqual(ids(bilal));
    expect(await found(brand, 'prey.or')).toEqual(ids(carla));
    // phone
    expect(await found(brand, '9876')).toEqual(ids(carla));
    expect(await found(brand, '23456')).toEqual(ids(ayesha));
    // 1–2 characters: the start of a word only
    expect(await found(brand, 'ra')).toEqual(ids(ayesha));
    expect(await found(brand, 'ha')).toEqual([]);
    // several at once, newest first
    expect(await found(brand, '.com')).toEqual(ids(ayesha));
    expect(await found(brand, 'a smi')).toEqual(ids(carla));
    expect(await found(brand, '880')).toEqual(ids(carla, ayesha));

    const page = await searchPage(brand, 'kestrel');
    expect(page).toEqual({ object: 'list', data: [ayesha], has_more: false, next_cursor: null });
  });

  it('does not match text that runs from the name into the email', async () => {
    const brand = await paydesk.newBrand();
    await newCustomer(paydesk, brand, { name: 'Ayesha Rahman', email: 'ar@kestrel.com' });
    expect(await found(brand, 'rahman ar@')).toEqual([]);
    expect(await found(brand, 'rahmanar')).toEqual([]);
  });

  it('finds a phone number by its digits however they are typed, international or national', async () => {
    const brand = await paydesk.newBrand({ country: 'BD' });
    const bd = await newCustomer(paydesk, brand, { phone: '01700000000' });
    const bdOther = await newCustomer(paydesk, brand, { phone: '+8801800000000' });
    const uk = await newCustomer(paydesk, brand, { phone: '+44 20 7946 0000' });
    const us = await newCustomer(paydesk, brand, { phone: '+1 212 710 1000' });
    expect([bd.phone, uk.phone, us.phone]).toEqual(['+8801700000000', '+442079460000', '+12127101000']);

    for (const q of [
      '01700',
      '+880 1700',
      '880-1700',
      '(+880) 1700-000000',
      '8801700000000',
      '+8801700000000',
      '01700 000000',
    ]) {
      expect(await found(brand, q), q).toEqual(ids(bd));
    }
    for (const q of ['020 7946', '020-7946-0000', '+44 20 7946', '7946 0000', '(020) 7946']) {
      expect(await found(brand, q), q).toEqual(ids(uk));
    }
    for (const q of ['(212) 710', '212-710-1000', '+1 212 710']) expect(await found(brand, q), q).toEqual(ids(us));
    expect(await found(brand, '01800')).toEqual(ids(bdOther));
    expect(await found(brand, '+880')).toEqual(ids(bdOther, bd));
    expect(await found(brand, '0000')).toEqual(ids(uk, bdOther, bd));
    expect(await found(brand, '020 7999')).toEqual([]);
  });

  it('ignores case and accents, both in the query and in the stored name', async () => {
    const brand = await paydesk.newBrand();
    const accented = await newCustomer(paydesk, brand, { name: 'José Ramírez', email: 'jr@tamarind.com' });
    const plain = await newCustomer(paydesk, brand, { name: 'Jose Ramirez', email: 'jram@papaya.org' });
    const zoe = await newCustomer(paydesk, brand, { name: 'ZOË Ångström', email: 'zoe@fjord.no' });

    for (const q of ['jose', 'JOSÉ', 'José', 'josé', 'Jose\u0301', 'ramírez', 'RAMIREZ', 'é ram']) {
      expect(await found(brand, q), q).toEqual(ids(plain, accented));
    }
    for (const q of ['angstrom', 'ÅNGSTRÖM', 'zoë', 'zoe ång']) expect(await found(brand, q), q).toEqual(ids(zoe));
    const [shown] = (await searchPage(brand, 'jose', '&limit=1')).data;
    expect(shown?.name).toBe('Jose Ramirez');
    expect((await searchPage(brand, 'tamarind')).data[0]?.name).toBe('José Ramírez');
  });

  it('puts the customer whose email is exactly the query first, ahead of newer partial matches', async () => {
    const brand = await paydesk.newBrand();
    const target = await newCustomer(paydesk, brand, { name: 'Sam Target', email: 'sam@shop.com' });
    const prefixed = await newCustomer(paydesk, brand, { name: 'Other One', email: 'xsam@shop.com' });
    const longer = await newCustomer(paydesk, brand, { name: 'Other Two', email: 'sam@shop.com.bd' });
    const inName = await newCustomer(paydesk, brand, { name: 'Fan of sam@shop.com', email: 'fan@elsewhere.org' });

    for (const q of ['sam@shop.com', 'SAM@Shop.COM', '  sam@shop.com ']) {
      expect(await found(brand, q), q).toEqual(ids(target, inName, longer, prefixed));
    }
    // Not an exact email: plain newest-first order.
    expect(await found(brand, 'am@shop.co')).toEqual(ids(inName, longer, prefixed, target));
  });

  it('puts the customers whose phone is exactly the query first, ahead of newer partial matches', async () => {
    const brand = await paydesk.newBrand({ country: 'BD' });
    const target = await newCustomer(paydesk, brand, { name: 'Phone Target', phone: '01711111111' });
    const inName = await newCustomer(paydesk, brand, { name: 'Call 01711111111 later' });
    const inEmail = await newCustomer(paydesk, brand, { name: 'Text Me', email: '01711111111@sms.example.com' });

    for (const q of ['01711111111', '1711111111', '+880 1711-111111', '+8801711111111']) {
      const result = await found(brand, q);
      expect(result[0], q).toBe(target.id);
    }
    expect(await found(brand, '01711111111')).toEqual(ids(target, inEmail, inName));
    expect(await found(brand, '1711111111')).toEqual(ids(target, inEmail, inName));
    // Not a whole number: plain newest-first order.
    expect(await found(brand, '0171111111')).toEqual(ids(inEmail, inName, target));

    const twin = await newCustomer(paydesk, brand, { name: 'Same Phone', phone: '+880 1711 111111' });
    expect(await found(brand, '01711111111')).toEqual(ids(twin, target, inEmail, inName));
  });

  it('finds a customer by a phone number written with an international dialling prefix (00880…)', async () => {
    const brand = await paydesk.newBrand({ country: 'BD' });
    const target = await newCustomer(paydesk, brand, { phone: '01733333333' });
    await newCustomer(paydesk, brand, { phone: '01733333334' });
    expect(await found(brand, '00880 1733333333')).toEqual(ids(target));
  });

  it('does not let the exact-phone lookup return customers the query does not match', async () => {
    // "call 01744444444" is not part of any name, email or phone; only a lenient phone parser
    // (which extracts the number from the text) would make it an exact match.
    const brand = await paydesk.newBrand({ country: 'BD' });
    const customer = await newCustomer(paydesk, brand, {
      name: 'Nadia Islam',
      email: 'nadia@mango.com',
      phone: '01744444444',
    });
    expect(await found(brand, '01744444444')).toEqual(ids(customer));
    const queries = ['call 01744444444', 'x01744444444', '01744444444 abc', 'nadia 01744444444'];
    const results = Object.fromEntries(await Promise.all(queries.map(async (q) => [q, await found(brand, q)])));
    expect(results).toEqual(Object.fromEntries(queries.map((q) => [q, []])));
  });

  it('matches 1–2 characters at the start of a word: "jo" finds José and Bob Jones, not Majo', async () => {
    const brand = await paydesk.newBrand({ country: 'BD' });
    const jose = await newCustomer(paydesk, brand, { name: 'José Ramírez', email: 'x1@kiwi.com' });
    const jones = await newCustomer(paydesk, brand, { name: 'Bob Jones', email: 'x2@kiwi.com' });
    const majo = await newCustomer(paydesk, brand, { name: 'Majo Lee', email: 'x3@kiwi.com' });
    const pia = await newCustomer(paydesk, brand, { name: 'Pia Wu', email: 'x4@kiwi.com', phone: '01712345678' });

    for (const q of ['jo', 'JO', 'jó', 'j', ' jo ']) expect(await found(brand, q), q).toEqual(ids(jones, jose));
    expect(await found(brand, 'ma')).toEqual(ids(majo));
    expect(await found(brand, 'ra')).toEqual(ids(jose));
    expect(await found(brand, 'aj')).toEqual([]); // inside "Majo"
    expect(await found(brand, 'ez')).toEqual([]); // end of "Ramírez"
    expect(await found(brand, 'x3')).toEqual(ids(majo)); // email words count too
    expect(await found(brand, 'ki')).toEqual(ids(pia, majo, jones, jose));
    // digits: the start of the phone, national (01…) or international (880…)
    for (const q of ['01', '0', '88', '+8']) expect(await found(brand, q), q).toEqual(ids(pia));
    for (const q of ['71', '78', '12']) expect(await found(brand, q), q).toEqual([]);
  });

  it.each(['@@', '   ', 'zzzzqqq', '', '-()', '.', '@', '+ ( ) -'])(
    'answers %j, which can match nothing, with 200 and an empty list',
    async (q) => {
      const brand = await paydesk.newBrand();
      // Every customer has "@" and "." in the email and a space in the name, and these have
      // parts of "zzzzqqq": a search that treated the query as plain text would find them.
      await newCustomer(paydesk, brand, { name: 'Zzzz Qqq', email: 'zzz.qqq@zz.com', phone: '01700000000' });
      await newCustomer(paydesk, brand, { name: 'Qqq Zzzzq', email: 'a-b@c.com' });
      const response = await customersApi(paydesk, brand.token).list(`q=${encodeURIComponent(q)}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(EMPTY_LIST);
    },
  );

  it('rebuilds the tokens on PATCH: the old name, email and phone are no longer found, the new ones are', async () => {
    const brand = await paydesk.newBrand({ country: 'BD' });
    const api = customersApi(paydesk, brand.token);
    const customer = await newCustomer(paydesk, brand, {
      name: 'Quentin Blackwood',
      email: 'quentin@larkspur.com',
      phone: '01755555555',
    });
    await newCustomer(paydesk, brand, { name: 'Unrelated Person', email: 'up@fig.com' });
    for (const q of ['blackw', 'bl', 'larksp', '01755', 'quentin@larkspur.com', '01755555555']) {
      expect(await found(brand, q), `before: ${q}`).toEqual(ids(customer));
    }

    const patched = await api.update(customer.id, {
      name: 'Quentin Whitfield',
      email: 'qw@bramble.org',
      phone: '01766666666',
    });
    expect(patched.statusCode).toBe(200);
    for (const q of ['blackw', 'bl', 'larksp', '01755', 'quentin@larkspur.com', '01755555555']) {
      expect(await found(brand, q), `old: ${q}`).toEqual([]);
    }
    for (const q of ['whitf', 'wh', 'quentin', 'brambl', 'qw@bramble.org', '01766', '01766666666']) {
      expect(await found(brand, q), `new: ${q}`).toEqual(ids(customer));
    }

    expect((await api.update(customer.id, { phone: null })).statusCode).toBe(200);
    expect(await found(brand, '01766')).toEqual([]);
    expect(await found(brand, 'whitf')).toEqual(ids(customer));
  });

  it('rebuilds the tokens when PUT edits the customer with that email', async () => {
    const brand = await paydesk.newBrand();
    const customer = await newCustomer(paydesk, brand, { name: 'Hortense Pemberton', email: 'hp@quince.com' });
    const response = await customersApi(paydesk, brand.token).upsert({
      name: 'Hortense Ravenscroft',
      email: 'hp@quince.com',
    });
    expect(response.statusCode).toBe(200);
    expect(await found(brand, 'pembert')).toEqual([]);
    expect(await found(brand, 'ravensc')).toEqual(ids(customer));
  });

  it('pages search results: pages join without duplicates or gaps, whatever the page size', async () => {
    const brand = await paydesk.newBrand();
    const matches: CustomerJson[] = [];
    for (let i = 0; i < 5; i++) {
      matches.push(await newCustomer(paydesk, brand, { name: `Pagewalker ${i}` }));
      await newCustomer(paydesk, brand, { name: `Bystander ${i}` }); // between the matches
    }
    const newestFirst = ids(...matches).reverse();
    expect(await searchPages(brand, 'pagewalk', 2)).toEqual([
      newestFirst.slice(0, 2),
      newestFirst.slice(2, 4),
      newestFirst.slice(4),
    ]);
    for (const limit of [1, 3, 4, 5, 6, 100])
      expect(await found(brand, 'pagewalk', limit), `limit ${limit}`).toEqual(newestFirst);

    const first = await searchPage(brand, 'pagewalk', '&limit=5');
    expect(first).toMatchObject({ has_more: false, next_cursor: null });
    expect(first.data).toHaveLength(5);
  });

  it('pages search results with an exact match: it leads page 1 and is not repeated later', async () => {
    const brand = await paydesk.newBrand();
    const target = await newCustomer(paydesk, brand, { name: 'Walker Target', email: 'walker@pages.com' });
    const fans: CustomerJson[] = [];
    for (let i = 0; i < 4; i++) fans.push(await newCustomer(paydesk, brand, { name: `walker@pages.com fan ${i}` }));
    const [f0, f1, f2, f3] = ids(...fans);

    expect(await searchPages(brand, 'walker@pages.com', 2)).toEqual([[target.id, f3], [f2, f1], [f0]]);
    // A page holding only the exact match still leads to the others.
    expect(await searchPages(brand, 'walker@pages.com', 1)).toEqual([[target.id], [f3], [f2], [f1], [f0]]);
    expect(await found(brand, 'walker@pages.com', 5)).toEqual([target.id, f3, f2, f1, f0]);
  });

  it('pages search results when several customers share the exact phone', async () => {
    const brand = await paydesk.newBrand({ country: 'BD' });
    const twins: CustomerJson[] = [];
    for (let i = 0; i < 3; i++) twins.push(await newCustomer(paydesk, brand, { phone: '01722222222' }));
    const mentions: CustomerJson[] = [];
    for (let i = 0; i < 2; i++) mentions.push(await newCustomer(paydesk, brand, { name: `Ref 01722222222 ${i}` }));
    const all = [...ids(...twins).reverse(), ...ids(...mentions).reverse()];

    expect(await found(brand, '01722222222', 100)).toEqual(all);
    for (const limit of [1, 2, 3, 4]) {
      const walked = await found(brand, '01722222222', limit);
      expect(new Set(walked).size, `limit ${limit}`).toBe(walked.length);
      expect([...walked].sort(), `limit ${limit}`).toEqual([...all].sort());
    }
  });

  it("never returns another brand's customers, even when the query matches them", async () => {
    const brandA = await paydesk.newBrand({ country: 'BD' });
    const brandB = await paydesk.newBrand({ country: 'BD' });
    const a = await newCustomer(paydesk, brandA, {
      name: 'Cordelia Vantablack',
      email: 'cordelia@obsidian.com',
      phone: '01733333333',
    });
    const b = await newCustomer(paydesk, brandB, { name: 'Cordelia Brightwater', email: 'cb@meadow.org' });

    for (const q of [
      'vantablack',
      'obsidian',
      'cordelia@obsidian.com',
      '01733333333',
      '+880 1733',
      '01733',
      'va',
      '01',
    ]) {
      expect(await found(brandB, q), `brand B: ${q}`).toEqual([]);
      expect(await found(brandA, q), `brand A: ${q}`).toEqual(ids(a));
    }
    for (const q of ['cordelia', 'co', 'c', 'CORDÉLIA']) {
      expect(await found(brandB, q), `brand B: ${q}`).toEqual(ids(b));
      expect(await found(brandA, q), `brand A: ${q}`).toEqual(ids(a));
    }
  });
});
