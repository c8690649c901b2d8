/**
 * The one language-code rule of AMTS. Amazon Translate's codes are an ISO 639-1 two-letter language
 * code, for a country variant followed by `-` and an ISO 3166 two-letter country code (RFC 5646 form):
 * `en`, `zh`, `zh-TW`, `fa-AF`, `fr-CA`, `es-MX`, `pt-PT`; the API takes 2 to 5 characters.
 * https://docs.aws.amazon.com/translate/latest/dg/what-is-languages.html
 * Scripts (`zh-Hant`), three-letter codes and lowercase regions (`zh-tw`) are not Translate codes.
 */
export const LANGUAGE_CODE = /^[a-z]{2}(?:-[A-Z]{2})?$/;

/** `<src>-<tgt>` (`en-zh`, `zh-TW-en`): the pair id in S3 keys, names and the sync state. */
export const PAIR_ID = /^([a-z]{2}(?:-[A-Z]{2})?)-([a-z]{2}(?:-[A-Z]{2})?)$/;

/** Whether `code` has the form of an Amazon Translate language code. */
export function isLanguageCode(code: string): boolean {
  return LANGUAGE_CODE.test(code);
}

/** `en-zh` → `{ source: 'en', target: 'zh' }`, `zh-TW-en` → `{ source: 'zh-TW', target: 'en' }`; `null` otherwise. */
export function splitPairId(id: string): { source: string; target: string } | null {
  const m = PAIR_ID.exec(id);
  return m ? { source: m[1] as string, target: m[2] as string } : null;
}
