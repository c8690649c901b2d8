/**
 * Fake translators for codec tests: they rewrite the prose of a Translate HTML document the way a
 * real translation would (text changes, tags and translate="no" content stay), deterministically.
 */

/** Applies `fn` to every text run of the body that is not inside a translate="no" span. */
export function translateProse(html: string, fn: (text: string) => string): string {
  const [head, body = ''] = html.split('<body>');
  let protectedDepth = 0;
  const out = body.replace(/(<[^>]+>)|([^<]+)/g, (_m, tag: string | undefined, text: string | undefined) => {
    if (tag) {
      if (/^<span translate="no"/.test(tag)) protectedDepth++;
      else if (tag === '</span>' && protectedDepth > 0) protectedDepth--;
      return tag;
    }
    return protectedDepth > 0 || !(text ?? '').trim() ? (text ?? '') : fn(text ?? '');
  });
  return `${head}<body>${out}`;
}

/** Uppercases the prose. */
export const shout = (html: string): string => translateProse(html, (t) => t.toUpperCase());

/** Replaces every letter of the prose with a CJK character, like an en→zh translation would. */
export const toHan = (html: string): string =>
  translateProse(html, (t) => t.replace(/[A-Za-z]+/g, (w) => '译'.repeat(Math.ceil(w.length / 3))));
