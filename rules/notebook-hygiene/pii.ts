/**
 * Personal data in free text (a notebook's saved output): email addresses, payment card numbers,
 * US social security numbers, IBANs and international phone numbers. Credentials are not personal
 * data here: the shared secret detector (rules/security/secrets) finds them, and rule S102 reports
 * them in notebook outputs. Values found are never returned, only counted.
 */

export type PiiKind = 'email' | 'card' | 'ssn' | 'iban' | 'phone';

export const PII_WORDS: Record<PiiKind, [string, string]> = {
  email: ['email address', 'email addresses'],
  card: ['payment card number', 'payment card numbers'],
  ssn: ['social security number', 'social security numbers'],
  iban: ['IBAN', 'IBANs'],
  phone: ['phone number', 'phone numbers'],
};

/** How many distinct values of a kind it takes before an output is reported (one email is usually the author's). */
export const PII_THRESHOLD: Record<PiiKind, number> = { email: 3, card: 1, ssn: 1, iban: 1, phone: 3 };

/** Texts beyond this size are scanned in their first part only. */
const MAX_SCAN = 2 * 1024 * 1024;

const EMAIL = /(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}(?![\w-])/g;
const PLACEHOLDER_DOMAIN = /(^|\.)(example\.(com|org|net)|test|invalid|localhost|local|users\.noreply\.github\.com|noreply\.github\.com|email\.com|domain\.com|company\.com|yourcompany\.com|sentry\.io)$/i;
const PLACEHOLDER_USER = /^(no-?reply|do-?not-?reply|user|username|name|first\.last|john\.doe|jane\.doe|foo|bar|test|someone|me|you|your\.?name|email|info|support|admin)$/i;
/** Package metadata printed by pip (`Author-email:`) and git logs carry maintainers' addresses, not data subjects. */
const AUTHOR_CONTEXT = /(author|maintainer)[-_ ]?e?-?mail\s*[:=]|Author:\s|Signed-off-by:/i;

const CARD = /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g;
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g;
const IBAN = /(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Z0-9])/g;
const PHONE = /(?<![\w+])\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}(?!\d)/g;

/** Well-known test card numbers (Stripe, Adyen, Braintree docs): not personal data. */
const TEST_CARDS = new Set([
  '4111111111111111', '4242424242424242', '4000056655665556', '4012888888881881', '4222222222222', '5555555555554444', '5105105105105100',
  '5200828282828210', '2223003122003222', '378282246310005', '371449635398431', '378734493671000', '6011111111111117', '6011000990139424',
  '30569309025904', '38520000023237', '3530111333300000', '3566002020360505', '6200000000000005', '4000000000000002', '4000000000000077',
]);
const EXAMPLE_SSNS = new Set(['123-45-6789', '078-05-1120', '219-09-9999']);
const CARD_CONTEXT = /\b(card|cc_?num|ccnum|pan|credit|debit|visa|mastercard|amex)/i;

/** Lengths of IBANs by country (ISO 13616), for the countries most data sets come from. */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27, GB: 22, GR: 27, HR: 21, HU: 28,
  IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24,
  SM: 27, TR: 26, AE: 23, SA: 24, IL: 23, BR: 29, MU: 30,
};

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes and lengths of the major card networks. */
function cardNetwork(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16 && n <= 19;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19;
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38) return n === 14;
  return false;
}

function ibanValid(raw: string): boolean {
  const s = raw.replace(/ /g, '');
  const expected = IBAN_LENGTH[s.slice(0, 2)];
  if (!expected || s.length !== expected) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of v) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** Blanks (same length) data: URIs, long base64 runs and terminal colour codes: images are not personal data. */
function blankBinary(text: string): string {
  // each pattern needs its escape, its `;base64,` or 400 characters: most outputs have none of them
  if (text.length < 400 && !text.includes('\x1b') && !text.includes(';base64,')) return text;
  return text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, (m) => ' '.repeat(m.length))
    .replace(/data:[A-Za-z0-9.+/-]{1,100};base64,[A-Za-z0-9+/=\s]{16,}/g, (m) => ' '.repeat(m.length))
    .replace(/[A-Za-z0-9+/=]{400,}/g, (m) => ' '.repeat(m.length));
}

/** Distinct personal values found in a set of texts, per kind (the values themselves are kept only in this map). */
export class PiiCounter {
  private readonly seen = new Map<PiiKind, Set<string>>();
  /** Card-like numbers (IIN and length match) and how many of them pass the Luhn check. */
  private cardLike = 0;
  private cardLuhn = new Set<string>();
  private cardStrong = new Set<string>();

  add(textIn: string): void {
    const text = blankBinary(textIn.length > MAX_SCAN ? textIn.slice(0, MAX_SCAN) : textIn);
    // asked once a grouped-or-not card number is found; each pattern below only runs on texts with the character all its matches hold
    let cardContext: boolean | undefined;
    if (text.includes('@')) for (const m of text.matchAll(EMAIL)) {
      const email = m[0].toLowerCase();
      const [user, domain] = email.split('@');
      if (PLACEHOLDER_DOMAIN.test(domain) || PLACEHOLDER_USER.test(user)) continue;
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      if (AUTHOR_CONTEXT.test(text.slice(lineStart, m.index))) continue;
      this.put('email', email);
    }
    for (const m of text.matchAll(CARD)) {
      const digits = m[0].replace(/[ -]/g, '');
      if (!cardNetwork(digits) || TEST_CARDS.has(digits) || /^(\d)\1+$/.test(digits)) continue;
      this.cardLike++;
      if (!luhn(digits)) continue;
      this.cardLuhn.add(digits);
      // grouped as printed on a card (4111 1111 …), or in a table about cards
      if (/^\d{4}([ -])\d{4,6}\1\d{4,5}(\1\d{1,4})?$/.test(m[0]) || (cardContext ??= CARD_CONTEXT.test(text))) this.cardStrong.add(digits);
    }
    if (text.includes('-')) for (const m of text.matchAll(SSN)) if (!EXAMPLE_SSNS.has(m[0])) this.put('ssn', m[0]);
    for (const m of text.matchAll(IBAN)) if (ibanValid(m[0])) this.put('iban', m[0].replace(/ /g, ''));
    if (text.includes('+')) for (const m of text.matchAll(PHONE)) {
      const digits = m[0].replace(/\D/g, '');
      if (digits.length >= 10 && digits.length <= 15 && !/^(\d)\1+$/.test(digits.slice(-7))) this.put('phone', digits);
    }
  }

  private put(kind: PiiKind, value: string): void {
    let set = this.seen.get(kind);
    if (!set) this.seen.set(kind, (set = new Set()));
    set.add(value);
  }

  /** Kinds at or above their threshold, with distinct counts. */
  found(): { kind: PiiKind; count: number }[] {
    const cards = new Set(this.cardStrong);
    // a column of card numbers: almost all of them pass Luhn, where random identifiers pass one in ten
    if (this.cardLuhn.size >= 3 && this.cardLuhn.size >= 0.8 * this.cardLike) for (const c of this.cardLuhn) cards.add(c);
    if (cards.size) this.seen.set('card', cards);
    const out: { kind: PiiKind; count: number }[] = [];
    for (const kind of Object.keys(PII_WORDS) as PiiKind[]) {
      const n = this.seen.get(kind)?.size ?? 0;
      if (n >= PII_THRESHOLD[kind]) out.push({ kind, count: n });
    }
    return out;
  }
}

export function describePii(found: { kind: PiiKind; count: number }[]): string {
  const parts = found.map(({ kind, count }) => `${count} ${PII_WORDS[kind][count === 1 ? 0 : 1]}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
}
