/**
 * Go (RE2) lets a flag group `(?i)` stand anywhere in a pattern; JS has flags only for the whole
 * pattern. Where nothing before the group can match letters (only `^` anchors), its flags mean the same
 * as whole-pattern flags, so they are lifted: `^(?i)cpu` is /^cpu/i. `U` (ungreedy) has no JS form and
 * `m` is left to the caller; a group anywhere else is left in place (the caller then decides: RE2 in
 * DuckDB, or a clear error).
 */
export function liftFlags(pattern: string): {
  body: string;
  flags: { i: boolean; s: boolean; m: boolean; U: boolean };
} {
  const m = /^(\^*)\(\?([imsU]+)\)/.exec(pattern);
  if (m === null) return { body: pattern, flags: { i: false, s: false, m: false, U: false } };
  const f = m[2]!;
  return {
    body: m[1]! + pattern.slice(m[0].length),
    flags: { i: f.includes('i'), s: f.includes('s'), m: f.includes('m'), U: f.includes('U') },
  };
}
