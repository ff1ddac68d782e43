import { memoizeByString } from '../core/memo';

/**
 * Column names that denote personal data which identifies a person directly: email, phone, name,
 * postal address, national identifiers, date of birth, IP address, card and bank account numbers.
 * English plus common French, Spanish, German, Italian and Portuguese spellings. Derived columns
 * (`email_domain`, `phone_count`, `has_email`, `name_length`, `ip_country`) are not identifiers and
 * are left alone.
 */

export interface PiiKind {
  kind: 'email' | 'phone' | 'name' | 'address' | 'national-id' | 'birth-date' | 'ip-address' | 'financial-account';
  label: string;
}

const KINDS: { kind: PiiKind['kind']; label: string; re: RegExp }[] = [
  { kind: 'email', label: 'an email address', re: /^(.*_)?(e_?mail|email_?address|e_?mail_?addr|mail_?address|courriel|correo(_electronico)?|adresse_e?_?mail|e_?posta|posta_elettronica)$/ },
  { kind: 'phone', label: 'a phone number', re: /^(.*_)?(phone|phone_?(number|num|no|nr)|mobile(_?(number|num|no|phone))?|cell_?phone|telephone|tel(_?(no|num|number|nr))?|telefono|tel[eé]fono|telefone|telefon(nummer)?|handy(nummer)?|numero_(de_)?telephone|num_tel|cellulare)$/ },
  {
    kind: 'name',
    label: "a person's name",
    re: /^((first|last|full|given|family|middle|maiden|sur|fore|customer|client|patient|user|member|account_?holder|card_?holder|holder|contact|employee|person|applicant|borrower|student|passenger|guest|subscriber|buyer|seller|owner)_?name|name|surname|forename|firstname|lastname|fullname|username|nombre(_completo)?|apellidos?|nom(_de_famille)?|pr[eé]nom|vorname|nachname|cognome|nome(_completo)?|sobrenome)$/,
  },
  {
    kind: 'national-id',
    label: 'a national identifier (social security, passport, tax or ID card number)',
    re: /^(.*_)?(ssn|social_?security(_?(number|num|no))?|national_?(id|insurance)(_?(number|num|no))?|nino|passport(_?(number|num|no|id))?|tax_?(id|number|code)|taxpayer_?id|nif|nie|dni|curp|cpf|rfc|aadhaar|aadhar|pesel|bsn|personnummer|steuer_?id|steuernummer|codice_?fiscale|insee|nir|numero_(de_)?securite_sociale|driver_?s?_?licen[cs]e(_?(number|no))?|id_?card(_?(number|no))?|identity_?(number|card))$/,
  },
  { kind: 'birth-date', label: 'a date of birth', re: /^(.*_)?(dob|date_?of_?birth|birth_?date|birthdate|birthday|birth_?day|born_?on|fecha_(de_)?nacimiento|date_(de_)?naissance|geburtsdatum|data_(di_)?nascita|data_(de_)?nascimento)$/ },
  { kind: 'ip-address', label: 'an IP address', re: /^(.*_)?(ip|ip_?addr(ess)?|ipaddress|ipv4|ipv6|client_?ip|remote_?addr(ess)?|remote_?ip|source_?ip|src_?ip|dst_?ip|user_?ip|device_?ip|x_forwarded_for)$/ },
  {
    kind: 'financial-account',
    label: 'a payment card or bank account number',
    re: /^(.*_)?(card_?(number|num|no|nr)|credit_?card(_?(number|num|no))?|cc_?(number|num|no)|ccnum|pan|iban|bank_?account(_?(number|num|no))?|account_?(number|num|no)|routing_?number|sort_?code|cvv2?|cvc2?|card_?cvv|numero_(de_)?(tarjeta|carte|cuenta))$/,
  },
  { kind: 'address', label: 'a postal address', re: /^(.*_)?(address|street(_?address)?|home_?address|postal_?address|mailing_?address|billing_?address|shipping_?address|address_?line_?\d?|addr(_?line_?\d?)?|direcci[oó]n|adresse(_postale)?|indirizzo|endere[cç]o|stra(ss|ß)e|anschrift)$/ },
];

/** Words that make a column derived from personal data rather than the identifier itself. */
const DERIVED = new Set(['domain', 'provider', 'count', 'cnt', 'len', 'length', 'verified', 'valid', 'is', 'has', 'flag', 'type', 'hash', 'hashed', 'sha', 'md5', 'bucket', 'country', 'region', 'city', 'state', 'zip', 'postcode', 'prefix', 'changed', 'changes', 'age', 'year', 'month', 'score', 'risk', 'match', 'matches', 'mismatch', 'present', 'missing', 'null', 'opt', 'optin', 'opened', 'clicks', 'sent', 'bounced', 'entropy', 'distinct', 'unique', 'nunique', 'embedding', 'encoded', 'token', 'tokens', 'masked', 'pseudonym', 'pseudo', 'anon', 'anonymized', 'version', 'model', 'feature', 'features', 'col', 'column', 'field', 'range', 'block', 'asn', 'isp', 'reputation']);

export function normalizeColumn(name: string): string {
  return name
    .normalize('NFC')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9àâçéèêëîïôûùüÿñæœßäöüáíóúã]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Answers by column name: the same names recur across a workspace's files. Null for none. */
const kindByColumn = memoizeByString((column) => kindOf(column));

/** The kind of personal data a column name denotes, or null (a fresh object each time). */
export function piiKind(column: string): PiiKind | null {
  if (!column || column.length > 64) return null;
  const found = kindByColumn(column);
  return found ? { kind: found.kind, label: found.label } : null;
}

function kindOf(column: string): (typeof KINDS)[number] | null {
  const n = normalizeColumn(column);
  if (!n) return null;
  const words = n.split('_');
  if (words.some((w) => DERIVED.has(w)) && !/^(ssn|dob|ip|pan|iban)$/.test(n)) {
    // `email_domain`, `has_phone`, `name_length` are derived; `customer_id` is a key, not personal data by itself here
    const core = words.filter((w) => !DERIVED.has(w)).join('_');
    if (core !== n) return null;
  }
  for (const k of KINDS) if (k.re.test(n)) return k;
  return null;
}
