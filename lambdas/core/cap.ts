/**
 * Messages stay readable whatever the input: a list of names is cut after `max` items (each item cut
 * after `maxItemChars`), saying how many more there are. An error naming 5,000 missing paths is a
 * few hundred bytes, not 119 KB (a Step Functions error cause is limited to 32,768 characters).
 */
export function capList(items: readonly string[], max = 10, maxItemChars = 200): string {
  const cut = (s: string) => (s.length > maxItemChars ? `${s.slice(0, maxItemChars)}…` : s);
  const shown = items.slice(0, max).map(cut).join(', ');
  const more = items.length - max;
  return more > 0 ? `${shown} … and ${more.toLocaleString('en-US')} more` : shown;
}
