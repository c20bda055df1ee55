import { describe, expect, it } from 'vitest'
import {
  contentEventId,
  dynamicObject,
  normaliseErrorCode,
  normaliseEventId,
  normaliseIp,
  normaliseUpn,
  optionalInteger,
  parseTimestamp,
  verbatim,
} from '@/lib/ingest/normalise'

// The rules every format shares (docs/reference/reference-rule.md "Normalisation details",
// docs/reference/signin-formats.md §8.2): written once in lib/ingest/normalise.ts, tested here.

const at = (iso: string) => Date.parse(iso)
const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString())

describe('parseTimestamp: ISO 8601', () => {
  it.each([
    ['2026-03-02T10:14:07Z', '2026-03-02T10:14:07.000Z'],
    ['2026-03-02T10:14:07.5Z', '2026-03-02T10:14:07.500Z'],
    ['2026-03-02T10:14:07.55Z', '2026-03-02T10:14:07.550Z'],
    ['2026-03-02T10:14:07.552Z', '2026-03-02T10:14:07.552Z'],
    ['2026-03-02T10:14:07.5522Z', '2026-03-02T10:14:07.552Z'],
    ['2026-03-02T10:14:07.55221Z', '2026-03-02T10:14:07.552Z'],
    ['2026-03-02T10:14:07.552213Z', '2026-03-02T10:14:07.552Z'],
    ['2026-03-02T10:14:07.5522137Z', '2026-03-02T10:14:07.552Z'],
  ])('%s has 0-7 fraction digits → %s', (text, expected) => {
    expect(iso(parseTimestamp(text))).toBe(expected)
  })

  it('truncates digits beyond milliseconds, never rounds (10:59:59.9999999 stays in the 10:00 hour)', () => {
    expect(iso(parseTimestamp('2026-03-02T10:59:59.9999999Z'))).toBe('2026-03-02T10:59:59.999Z')
    expect(iso(parseTimestamp('2026-12-31T23:59:59.9995Z'))).toBe('2026-12-31T23:59:59.999Z')
    expect(iso(parseTimestamp('2026-03-02T10:14:07.0009Z'))).toBe('2026-03-02T10:14:07.000Z')
  })

  it.each([
    ['2026-03-02T10:14:07+05:30', '2026-03-02T04:44:07.000Z'],
    ['2026-03-02T10:14:07.5522137+05:30', '2026-03-02T04:44:07.552Z'],
    ['2019-10-18T04:45:48.0729893-05:00', '2019-10-18T09:45:48.072Z'],
    ['2026-03-02T22:30:00-05:00', '2026-03-03T03:30:00.000Z'],
    ['2026-03-02T10:14:07+00:00', '2026-03-02T10:14:07.000Z'],
    ['2026-03-02T10:14:07+0530', '2026-03-02T04:44:07.000Z'],
    ['2026-03-02T10:14:07-05', '2026-03-02T15:14:07.000Z'],
    ['2026-03-02T00:10:00+01:00', '2026-03-01T23:10:00.000Z'],
  ])('%s with an offset → %s UTC', (text, expected) => {
    expect(iso(parseTimestamp(text))).toBe(expected)
  })

  it('reads a time without a zone as UTC (every export we read writes UTC)', () => {
    expect(iso(parseTimestamp('2026-03-02T10:14:07'))).toBe('2026-03-02T10:14:07.000Z')
    expect(iso(parseTimestamp('2026-03-02 10:14:07.123'))).toBe('2026-03-02T10:14:07.123Z')
  })

  it('accepts a space separator, surrounding whitespace, lower-case t/z and a comma decimal mark', () => {
    expect(iso(parseTimestamp('  2026-03-02 10:14:07Z  '))).toBe('2026-03-02T10:14:07.000Z')
    expect(iso(parseTimestamp('2026-03-02t10:14:07z'))).toBe('2026-03-02T10:14:07.000Z')
    expect(iso(parseTimestamp('2026-03-02T10:14:07,25Z'))).toBe('2026-03-02T10:14:07.250Z')
  })

  it('keeps years below 100 as written (not 19xx)', () => {
    expect(iso(parseTimestamp('0099-01-01T00:00:00Z'))).toBe('0099-01-01T00:00:00.000Z')
  })
})

describe('parseTimestamp: US locale (Log Analytics export) and Excel re-save', () => {
  it.each([
    ['2/17/2026, 2:07:51.539 PM', '2026-02-17T14:07:51.539Z'],
    ['9/19/2023, 1:45:17.287 PM', '2023-09-19T13:45:17.287Z'],
    ['4/28/2021, 2:08:45.221 PM', '2021-04-28T14:08:45.221Z'],
    ['3/2/2026 10:14:07 AM', '2026-03-02T10:14:07.000Z'],
    ['12/31/2026 11:59:59 PM', '2026-12-31T23:59:59.000Z'],
    ['03/02/2026 10:14 AM', '2026-03-02T10:14:00.000Z'],
    ['2/17/2026 14:07:32', '2026-02-17T14:07:32.000Z'],
    ['2/17/2026, 2:07:51.5391234 PM', '2026-02-17T14:07:51.539Z'],
  ])('%s → %s', (text, expected) => {
    expect(iso(parseTimestamp(text))).toBe(expected)
  })

  it('12 AM is midnight and 12 PM is noon', () => {
    expect(iso(parseTimestamp('3/2/2026 12:00:00 AM'))).toBe('2026-03-02T00:00:00.000Z')
    expect(iso(parseTimestamp('3/2/2026 12:30:15 AM'))).toBe('2026-03-02T00:30:15.000Z')
    expect(iso(parseTimestamp('3/2/2026 12:00:00 PM'))).toBe('2026-03-02T12:00:00.000Z')
    expect(iso(parseTimestamp('3/2/2026 12:59:59 PM'))).toBe('2026-03-02T12:59:59.000Z')
    expect(iso(parseTimestamp('3/2/2026 1:00:00 AM'))).toBe('2026-03-02T01:00:00.000Z')
    expect(iso(parseTimestamp('3/2/2026 1:00:00 PM'))).toBe('2026-03-02T13:00:00.000Z')
  })

  it('accepts lower-case am/pm and the narrow no-break space newer ICU puts before it', () => {
    expect(iso(parseTimestamp('3/2/2026 10:14:07 pm'))).toBe('2026-03-02T22:14:07.000Z')
    expect(iso(parseTimestamp('3/2/2026, 10:14:07.100\u202fPM'))).toBe('2026-03-02T22:14:07.100Z')
  })

  it('refuses hours that a 12-hour clock does not have', () => {
    expect(parseTimestamp('3/2/2026 0:30:00 AM')).toBeNull()
    expect(parseTimestamp('3/2/2026 13:00:00 PM')).toBeNull()
    expect(parseTimestamp('3/2/2026 24:00:00')).toBeNull()
  })
})

describe('parseTimestamp: epoch milliseconds (LogScale @timestamp)', () => {
  it('takes a number as epoch milliseconds, cutting any fraction', () => {
    expect(parseTimestamp(1772446447000)).toBe(1772446447000)
    expect(parseTimestamp(1772446447000.9)).toBe(1772446447000)
    expect(iso(parseTimestamp(1771337252000))).toBe('2026-02-17T14:07:32.000Z')
  })

  it('takes a string of digits as epoch milliseconds', () => {
    expect(parseTimestamp('1772446447000')).toBe(1772446447000)
    expect(parseTimestamp(' 1772446447123 ')).toBe(1772446447123)
  })

  it('refuses numbers that are not a time a database column can hold', () => {
    expect(parseTimestamp(Number.NaN)).toBeNull()
    expect(parseTimestamp(Number.POSITIVE_INFINITY)).toBeNull()
    // 1e17 ms is beyond Date's range (toISOString throws); 253402300800000 is year 10000.
    expect(parseTimestamp(1e17)).toBeNull()
    expect(parseTimestamp(253_402_300_800_000)).toBeNull()
  })
})

describe('parseTimestamp: not a time', () => {
  it.each([
    ['2026-02-30T10:00:00Z', 'February 30th'],
    ['2025-02-29T10:00:00Z', '29 February in a common year'],
    ['2026-04-31T10:00:00Z', 'April 31st'],
    ['2026-13-01T10:00:00Z', 'month 13'],
    ['2026-00-10T10:00:00Z', 'month 0'],
    ['2026-03-02T24:00:00Z', 'hour 24'],
    ['2026-03-02T10:60:00Z', 'minute 60'],
    ['2026-03-02T10:14:61Z', 'second 61'],
    ['13/1/2026 10:00:00 AM', 'month 13 (day-first date)'],
    ['2/30/2026, 1:00:00.000 PM', 'February 30th, US locale'],
    ['2/29/2025 1:00:00 PM', '29 February 2025, US locale'],
    ['0000-01-01T00:00:00Z', 'year 0'],
    ['yesterday', 'a word'],
    ['2026-03-02', 'a date without a time'],
    ['10:14:07', 'a time without a date'],
    ['17724464', 'a short number'],
    ['', 'empty'],
    ['   ', 'blank'],
  ])('%s (%s) → null', (text) => {
    expect(parseTimestamp(text)).toBeNull()
  })

  it('accepts 29 February in a leap year', () => {
    expect(iso(parseTimestamp('2024-02-29T10:00:00Z'))).toBe('2024-02-29T10:00:00.000Z')
    expect(iso(parseTimestamp('2/29/2024 10:00:00 AM'))).toBe('2024-02-29T10:00:00.000Z')
  })

  it('is null for values that are not strings or numbers', () => {
    expect(parseTimestamp(null)).toBeNull()
    expect(parseTimestamp(undefined)).toBeNull()
    expect(parseTimestamp(true)).toBeNull()
    expect(parseTimestamp({ time: '2026-03-02T10:14:07Z' })).toBeNull()
  })
})

describe('normaliseIp', () => {
  it('keeps a valid IPv4 address, trimmed', () => {
    expect(normaliseIp('203.0.113.45')).toBe('203.0.113.45')
    expect(normaliseIp('  203.0.113.45\t')).toBe('203.0.113.45')
    expect(normaliseIp('0.0.0.0')).toBe('0.0.0.0')
  })

  it('writes IPv6 in one form: lower case, compressed (RFC 5952)', () => {
    expect(normaliseIp('2001:DB8::1')).toBe('2001:db8::1')
    expect(normaliseIp('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1')
    expect(normaliseIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1')
    expect(normaliseIp('FE80::ABCD')).toBe('fe80::abcd')
    expect(normaliseIp('::1')).toBe('::1')
  })

  it('cuts a port from [v6]:port and v4:port', () => {
    expect(normaliseIp('[2001:DB8::1]:443')).toBe('2001:db8::1')
    expect(normaliseIp('[2001:db8::1]')).toBe('2001:db8::1')
    expect(normaliseIp('203.0.113.5:443')).toBe('203.0.113.5')
    expect(normaliseIp('203.0.113.5:65535')).toBe('203.0.113.5')
  })

  it('drops an IPv6 zone id', () => {
    expect(normaliseIp('fe80::1%eth0')).toBe('fe80::1')
    expect(normaliseIp('[fe80::1%12]:8080')).toBe('fe80::1')
  })

  it.each(['', '   ', 'unknown', '203.0.113', '256.1.1.1', '203.0.113.5.6', '1.2.3.4/24', '2001:db8::g', '2001:db8:::1', '203.0.113.5:abc', '[203.0.113.5', '010.1.1.1'])(
    '%j is not an address → null',
    (text) => {
      expect(normaliseIp(text)).toBeNull()
    },
  )

  it('is null for values that are not strings', () => {
    expect(normaliseIp(null)).toBeNull()
    expect(normaliseIp(undefined)).toBeNull()
    expect(normaliseIp(3405803821)).toBeNull()
  })
})

describe('normaliseUpn', () => {
  it('trims and lower-cases (Entra UPNs are case-insensitive)', () => {
    expect(normaliseUpn('  J.Doe@Contoso.COM ')).toBe('j.doe@contoso.com')
    expect(normaliseUpn('ÉMILE@CONTOSO.COM')).toBe('émile@contoso.com')
  })

  it('keeps strings that are not e-mail addresses (enumeration attempts contain anything)', () => {
    expect(normaliseUpn('Administrator')).toBe('administrator')
    expect(normaliseUpn('john doe')).toBe('john doe')
  })

  it('is the empty string when absent, blank or not a string', () => {
    expect(normaliseUpn(undefined)).toBe('')
    expect(normaliseUpn(null)).toBe('')
    expect(normaliseUpn('   ')).toBe('')
    expect(normaliseUpn(42)).toBe('')
  })

  it('removes NUL characters, which PostgreSQL text cannot hold', () => {
    expect(normaliseUpn('a\u0000b@contoso.com')).toBe('ab@contoso.com')
  })
})

describe('normaliseErrorCode', () => {
  it('gives the same string whether the source wrote a number or a string', () => {
    expect(normaliseErrorCode(50034)).toBe('50034')
    expect(normaliseErrorCode('50034')).toBe('50034')
    expect(normaliseErrorCode(' 50034 ')).toBe('50034')
    expect(normaliseErrorCode(0)).toBe('0')
    expect(normaliseErrorCode('0')).toBe('0')
  })

  it('keeps 500341 as 500341: the code matches as a whole string, not a prefix', () => {
    expect(normaliseErrorCode(500341)).toBe('500341')
    expect(normaliseErrorCode('500341')).not.toBe('50034')
  })

  it('is null when absent, empty or not an integer', () => {
    expect(normaliseErrorCode(undefined)).toBeNull()
    expect(normaliseErrorCode(null)).toBeNull()
    expect(normaliseErrorCode('')).toBeNull()
    expect(normaliseErrorCode('  ')).toBeNull()
    expect(normaliseErrorCode(50034.5)).toBeNull()
    expect(normaliseErrorCode(Number.NaN)).toBeNull()
  })
})

describe('the other field rules', () => {
  it('client app and user agent are kept verbatim (not trimmed); absent is ""', () => {
    expect(verbatim(' Browser ')).toBe(' Browser ')
    expect(verbatim(undefined)).toBe('')
    expect(verbatim(null)).toBe('')
    expect(verbatim('ua\u0000x')).toBe('uax')
  })

  it('integers that do not fit an INTEGER column are null, whether given as number or text', () => {
    expect(optionalInteger(8075)).toBe(8075)
    expect(optionalInteger(' 8075 ')).toBe(8075)
    expect(optionalInteger(2_147_483_647)).toBe(2_147_483_647)
    // a 4-byte AS number beyond int4: must not reach the COPY into autonomous_system INTEGER
    expect(optionalInteger(4_200_000_000)).toBeNull()
    expect(optionalInteger('4200000000')).toBeNull()
    expect(optionalInteger(1.5)).toBeNull()
    expect(optionalInteger('AS8075')).toBeNull()
  })

  it('dynamic columns read the same as an object or as JSON text', () => {
    expect(dynamicObject({ errorCode: 50034 })).toEqual({ errorCode: 50034 })
    expect(dynamicObject('{"errorCode":50034}')).toEqual({ errorCode: 50034 })
    expect(dynamicObject(' {"city":"Azor"} ')).toEqual({ city: 'Azor' })
    expect(dynamicObject('[1,2]')).toBeNull()
    expect(dynamicObject('{broken')).toBeNull()
    expect(dynamicObject('')).toBeNull()
  })

  it('event ids are trimmed, and ids too long for an index entry are replaced by their hash', () => {
    expect(normaliseEventId(' 4d2e9c1a ')).toBe('4d2e9c1a')
    expect(normaliseEventId('')).toBeNull()
    const long = normaliseEventId('x'.repeat(500))
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(normaliseEventId('x'.repeat(500))).toBe(long)
    expect(normaliseEventId('y'.repeat(500))).not.toBe(long)
  })

  it('a content id is the same for the same parts and differs when any part differs', () => {
    const parts = [at('2026-03-02T10:14:07Z'), 'j.doe@contoso.com', '203.0.113.45', 'Browser', 'Mozilla/5.0', 'App', '50034', true] as const
    expect(contentEventId(parts)).toBe(contentEventId([...parts]))
    expect(contentEventId(parts)).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(contentEventId([...parts.slice(0, 6), '50053', true])).not.toBe(contentEventId(parts))
    // no ambiguity from concatenation
    expect(contentEventId(['ab', 'c'])).not.toBe(contentEventId(['a', 'bc']))
  })
})
