/**
 * When two emails of customers with the same name look like one person's (duplicates, reason
 * `name_email`). Equal emails cannot exist in a brand (unique blind index), so the rule compares
 * local parts (before the @), whatever the domains:
 *
 * 1. equal once folded: lower case, a `+tag` dropped, dots removed (`rahim.uddin+shop@a.com` and
 *    `rahimuddin@b.com`);
 * 2. one is the start of the other, the shorter at least 4 characters (`rahim@a.com`,
 *    `rahim.uddin@b.com`);
 * 3. within a small edit distance: 1 for local parts of 4–7 characters, 2 from 8 (a typo:
 *    `farhana.akter@` and `farhana.aktar@`). Shorter ones must be equal: `ab` and `ac` say nothing.
 */
export function similarEmails(a: string, b: string): boolean {
  const x = foldLocalPart(a);
  const y = foldLocalPart(b);
  if (x === '' || y === '') return false;
  if (x === y) return true;
  const shorter = Math.min(x.length, y.length);
  if (shorter >= 4 && (x.startsWith(y) || y.startsWith(x))) return true;
  const allowed = shorter >= 8 ? 2 : shorter >= 4 ? 1 : 0;
  return allowed > 0 && editDistanceAtMost(x, y, allowed);
}

function foldLocalPart(email: string): string {
  const at = email.lastIndexOf('@');
  const local = (at >= 0 ? email.slice(0, at) : email).toLowerCase();
  const plus = local.indexOf('+');
  return (plus >= 0 ? local.slice(0, plus) : local).replaceAll('.', '');
}

/** Levenshtein distance ≤ max, by the banded dynamic programme (O(n·max)). */
export function editDistanceAtMost(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return false;
    previous = current;
  }
  return previous[b.length]! <= max;
}
