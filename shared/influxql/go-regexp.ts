/**
 * Syntax check for Go (RE2) regular expressions, ported from Go 1.19's `regexp/syntax/parse.go`.
 *
 * influxd compiles every `/regex/` with Go's `regexp.Compile` and reports the compiler's error text
 * verbatim (`error parsing regexp: missing closing ]: `[a``). JavaScript's RegExp accepts a different
 * language (lookarounds, backreferences) and words its errors differently, so the parser's decisions
 * are replayed here on a light tree that keeps only what the errors depend on: the operator stack,
 * and repeat counts for the nested-repeat limit. Character class contents are not materialised.
 *
 * Not replicated: the 1.19.2+ limits on compiled size (`regexp/syntax: internal error`) and nesting
 * depth (`expression nests too deeply`), which need regexes of thousands of nested groups.
 */

enum Op {
  // Real operators (order only matters relative to the pseudo ones).
  NoMatch = 1,
  EmptyMatch,
  Literal,
  CharClass,
  AnyCharNotNL,
  AnyChar,
  BeginLine,
  EndLine,
  BeginText,
  EndText,
  WordBoundary,
  NoWordBoundary,
  Capture,
  Star,
  Plus,
  Quest,
  Repeat,
  Concat,
  Alternate,
  Pseudo = 128,
  LeftParen,
  VerticalBar,
}

interface Node {
  op: Op;
  min: number;
  max: number;
  cap: number;
  subs: Node[];
}

const node = (op: Op, subs: Node[] = []): Node => ({ op, min: 0, max: 0, cap: 0, subs });

const CODES = {
  invalidCharRange: 'invalid character class range',
  invalidEscape: 'invalid escape sequence',
  invalidNamedCapture: 'invalid named capture',
  invalidPerlOp: 'invalid or unsupported Perl syntax',
  invalidRepeatOp: 'invalid nested repetition operator',
  invalidRepeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
} as const;

class RegexSyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

const UNICODE_CLASSES = new Set(
  (
    'Any C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs ' +
    'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki ' +
    'Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee ' +
    'Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan ' +
    'Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi ' +
    'Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited ' +
    'Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kayah_Li Kharoshthi ' +
    'Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian ' +
    'Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui ' +
    'Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nandinagari ' +
    'New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian ' +
    'Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene ' +
    'Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham ' +
    'SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le ' +
    'Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Ugaritic Vai Wancho ' +
    'Warang_Citi Yezidi Yi Zanabazar_Square'
  ).split(' '),
);

const POSIX_CLASSES = new Set(
  [
    'alnum',
    'alpha',
    'ascii',
    'blank',
    'cntrl',
    'digit',
    'graph',
    'lower',
    'print',
    'punct',
    'space',
    'upper',
    'word',
    'xdigit',
  ].flatMap((n) => [`[:${n}:]`, `[:^${n}:]`]),
);

const PERL_CLASSES = new Set(['\\d', '\\D', '\\s', '\\S', '\\w', '\\W']);

const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);
const isCharClassNode = (n: Node): boolean =>
  n.op === Op.Literal || n.op === Op.CharClass || n.op === Op.AnyCharNotNL || n.op === Op.AnyChar;

/** The first rune of `s` (a whole surrogate pair) and its length in UTF-16 units. */
function nextRune(s: string): { c: string; rest: string } {
  if (s === '') return { c: '\ufffd', rest: '' }; // Go decodes "" as RuneError of size 0
  const cp = s.codePointAt(0) as number;
  const n = cp > 0xffff ? 2 : 1;
  return { c: s.slice(0, n), rest: s.slice(n) };
}

function unhex(c: string): number {
  if (/^[0-9]$/.test(c)) return c.charCodeAt(0) - 48;
  if (/^[a-f]$/.test(c)) return c.charCodeAt(0) - 87;
  if (/^[A-F]$/.test(c)) return c.charCodeAt(0) - 55;
  return -1;
}

function repeatIsValid(re: Node, n: number): boolean {
  if (re.op === Op.Repeat) {
    let m = re.max;
    if (m === 0) return true;
    if (m < 0) m = re.min;
    if (m > n) return false;
    if (m > 0) n = Math.trunc(n / m);
  }
  return re.subs.every((s) => repeatIsValid(s, n));
}

class RegexParser {
  private stack: Node[] = [];
  private numCap = 0;

  constructor(private readonly whole: string) {}

  private push(re: Node): void {
    this.stack.push(re);
  }

  private op(op: Op): Node {
    const re = node(op);
    this.push(re);
    return re;
  }

  private literal(): void {
    this.push(node(Op.Literal));
  }

  private repeat(op: Op, min: number, max: number, before: string, after: string, lastRepeat: string): string {
    if (after.length > 0 && after[0] === '?') after = after.slice(1);
    if (lastRepeat !== '')
      throw new RegexSyntaxError(CODES.invalidRepeatOp, lastRepeat.slice(0, lastRepeat.length - after.length));
    const n = this.stack.length;
    const sub = this.stack[n - 1];
    if (sub === undefined || sub.op >= Op.Pseudo) {
      throw new RegexSyntaxError(CODES.missingRepeatArgument, before.slice(0, before.length - after.length));
    }
    const re = node(op, [sub]);
    re.min = min;
    re.max = max;
    this.stack[n - 1] = re;
    if (op === Op.Repeat && (min >= 2 || max >= 2) && !repeatIsValid(re, 1000)) {
      throw new RegexSyntaxError(CODES.invalidRepeatSize, before.slice(0, before.length - after.length));
    }
    return after;
  }

  private collapseTop(op: Op): void {
    let i = this.stack.length;
    while (i > 0 && (this.stack[i - 1] as Node).op < Op.Pseudo) i--;
    const subs = this.stack.splice(i);
    if (subs.length === 0) {
      this.push(node(op === Op.Concat ? Op.EmptyMatch : Op.NoMatch));
    } else if (subs.length === 1) {
      this.push(subs[0] as Node);
    } else {
      this.push(
        node(
          op,
          subs.flatMap((s) => (s.op === op ? s.subs : [s])),
        ),
      );
    }
  }

  private concat(): void {
    this.collapseTop(Op.Concat);
  }

  private alternate(): void {
    this.collapseTop(Op.Alternate);
  }

  private swapVerticalBar(): boolean {
    const n = this.stack.length;
    const s = this.stack;
    if (
      n >= 3 &&
      s[n - 2]?.op === Op.VerticalBar &&
      isCharClassNode(s[n - 1] as Node) &&
      isCharClassNode(s[n - 3] as Node)
    ) {
      // Go merges the two classes into one; only the shape of the stack matters here.
      const a = s[n - 3] as Node;
      a.op = Op.CharClass;
      s.pop();
      return true;
    }
    if (n >= 2 && s[n - 2]?.op === Op.VerticalBar) {
      const re1 = s[n - 1] as Node;
      s[n - 1] = s[n - 2] as Node;
      s[n - 2] = re1;
      return true;
    }
    return false;
  }

  private parseVerticalBar(): void {
    this.concat();
    if (!this.swapVerticalBar()) this.op(Op.VerticalBar);
  }

  private parseRightParen(): void {
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    const n = this.stack.length;
    if (n < 2) throw new RegexSyntaxError(CODES.unexpectedParen, this.whole);
    const re1 = this.stack[n - 1] as Node;
    const re2 = this.stack[n - 2] as Node;
    this.stack.length = n - 2;
    if (re2.op !== Op.LeftParen) throw new RegexSyntaxError(CODES.unexpectedParen, this.whole);
    if (re2.cap === 0) {
      this.push(re1);
    } else {
      re2.op = Op.Capture;
      re2.subs = [re1];
      this.push(re2);
    }
  }

  private parsePerlFlags(s: string): string {
    let t = s;
    if (t.length > 4 && t[2] === 'P' && t[3] === '<') {
      const end = t.indexOf('>');
      if (end < 0) throw new RegexSyntaxError(CODES.invalidNamedCapture, s);
      const capture = t.slice(0, end + 1);
      const name = t.slice(4, end);
      if (name === '' || ![...name].every((c) => c === '_' || isAlnum(c))) {
        throw new RegexSyntaxError(CODES.invalidNamedCapture, capture);
      }
      this.numCap++;
      this.op(Op.LeftParen).cap = this.numCap;
      return t.slice(end + 1);
    }
    t = t.slice(2);
    let sign = 1;
    let sawFlag = false;
    while (t !== '') {
      const r = nextRune(t);
      t = r.rest;
      const c = r.c;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        sawFlag = true;
      } else if (c === '-') {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (sign < 0 && !sawFlag) break;
        if (c === ':') this.op(Op.LeftParen);
        return t;
      } else {
        break;
      }
    }
    throw new RegexSyntaxError(CODES.invalidPerlOp, s.slice(0, s.length - t.length));
  }

  private parseRepeat(s: string): { min: number; max: number; rest: string } | null {
    if (s === '' || s[0] !== '{') return null;
    s = s.slice(1);
    const a = parseInt(s);
    if (a === null) return null;
    let min = a.n;
    let max: number;
    s = a.rest;
    if (s === '') return null;
    if (s[0] !== ',') {
      max = min;
    } else {
      s = s.slice(1);
      if (s === '') return null;
      if (s[0] === '}') {
        max = -1;
      } else {
        const b = parseInt(s);
        if (b === null) return null;
        max = b.n;
        s = b.rest;
        if (max < 0) min = -1;
      }
    }
    if (s === '' || s[0] !== '}') return null;
    return { min, max, rest: s.slice(1) };
  }

  private parseEscape(s: string): string {
    let t = s.slice(1);
    if (t === '') throw new RegexSyntaxError(CODES.trailingBackslash, '');
    const r = nextRune(t);
    const c = r.c;
    t = r.rest;
    const isOct = (x: string | undefined): boolean => x !== undefined && x >= '0' && x <= '7';
    // \1-\7 are octal only when another octal digit follows (no backreferences in RE2); \0 always is.
    if (c === '0' || (c >= '1' && c <= '7' && isOct(t[0]))) {
      for (let i = 1; i < 3 && isOct(t[0]); i++) t = t.slice(1);
      return t;
    }
    switch (c) {
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        break;
      case 'x': {
        if (t === '') break;
        let x = nextRune(t);
        t = x.rest;
        if (x.c === '{') {
          let nhex = 0;
          let v = 0;
          let ok = false;
          for (;;) {
            if (t === '') break;
            x = nextRune(t);
            t = x.rest;
            if (x.c === '}') {
              ok = true;
              break;
            }
            const d = unhex(x.c);
            if (d < 0) break;
            v = v * 16 + d;
            if (v > 0x10ffff) break;
            nhex++;
          }
          if (!ok || nhex === 0) break;
          return t;
        }
        const hi = unhex(x.c);
        const y = nextRune(t);
        t = y.rest;
        if (hi < 0 || unhex(y.c) < 0) break;
        return t;
      }
      case 'a':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
        return t;
      default:
        if ((c.codePointAt(0) as number) < 0x80 && !isAlnum(c)) return t;
    }
    throw new RegexSyntaxError(CODES.invalidEscape, s.slice(0, s.length - t.length));
  }

  /** Returns the rest after a `\p{..}` / `\pX` class, or null when `s` is not one. */
  private parseUnicodeClass(s: string): string | null {
    if (s.length < 2 || s[0] !== '\\' || (s[1] !== 'p' && s[1] !== 'P')) return null;
    let t = s.slice(2);
    const r = nextRune(t);
    t = r.rest;
    let seq: string;
    let name: string;
    if (r.c !== '{') {
      seq = s.slice(0, s.length - t.length);
      name = seq.slice(2);
    } else {
      const end = s.indexOf('}');
      if (end < 0) throw new RegexSyntaxError(CODES.invalidCharRange, s);
      seq = s.slice(0, end + 1);
      t = s.slice(end + 1);
      name = s.slice(3, end);
    }
    if (name !== '' && name[0] === '^') name = name.slice(1);
    if (!UNICODE_CLASSES.has(name)) throw new RegexSyntaxError(CODES.invalidCharRange, seq);
    return t;
  }

  private parsePerlClassEscape(s: string): string | null {
    if (s.length < 2 || !PERL_CLASSES.has(s.slice(0, 2))) return null;
    return s.slice(2);
  }

  private parseClassChar(s: string, wholeClass: string): { c: number; rest: string } {
    if (s === '') throw new RegexSyntaxError(CODES.missingBracket, wholeClass);
    if (s[0] === '\\') {
      const rest = this.parseEscape(s);
      return { c: escapeValue(s.slice(0, s.length - rest.length)), rest };
    }
    const r = nextRune(s);
    return { c: r.c.codePointAt(0) as number, rest: r.rest };
  }

  private parseClass(s: string): string {
    let t = s.slice(1);
    if (t !== '' && t[0] === '^') t = t.slice(1);
    let first = true;
    while (t === '' || t[0] !== ']' || first) {
      first = false;
      if (t.length > 2 && t[0] === '[' && t[1] === ':') {
        const i = t.slice(2).indexOf(':]');
        if (i >= 0) {
          const name = t.slice(0, i + 4);
          if (!POSIX_CLASSES.has(name)) throw new RegexSyntaxError(CODES.invalidCharRange, name);
          t = t.slice(i + 4);
          continue;
        }
      }
      const u = this.parseUnicodeClass(t);
      if (u !== null) {
        t = u;
        continue;
      }
      const pc = this.parsePerlClassEscape(t);
      if (pc !== null) {
        t = pc;
        continue;
      }
      const rng = t;
      const lo = this.parseClassChar(t, s);
      t = lo.rest;
      if (t.length >= 2 && t[0] === '-' && t[1] !== ']') {
        t = t.slice(1);
        const hi = this.parseClassChar(t, s);
        t = hi.rest;
        if (hi.c < lo.c) throw new RegexSyntaxError(CODES.invalidCharRange, rng.slice(0, rng.length - t.length));
      }
    }
    this.push(node(Op.CharClass));
    return t.slice(1);
  }

  parse(): void {
    let t = this.whole;
    let lastRepeat = '';
    while (t !== '') {
      let repeat = '';
      const ch = t[0] as string;
      switch (ch) {
        case '(':
          if (t.length >= 2 && t[1] === '?') {
            t = this.parsePerlFlags(t);
            break;
          }
          this.numCap++;
          this.op(Op.LeftParen).cap = this.numCap;
          t = t.slice(1);
          break;
        case '|':
          this.parseVerticalBar();
          t = t.slice(1);
          break;
        case ')':
          this.parseRightParen();
          t = t.slice(1);
          break;
        case '^':
          this.op(Op.BeginText);
          t = t.slice(1);
          break;
        case '$':
          this.op(Op.EndText);
          t = t.slice(1);
          break;
        case '.':
          this.op(Op.AnyCharNotNL);
          t = t.slice(1);
          break;
        case '[':
          t = this.parseClass(t);
          break;
        case '*':
        case '+':
        case '?': {
          const before = t;
          const op = ch === '*' ? Op.Star : ch === '+' ? Op.Plus : Op.Quest;
          t = this.repeat(op, 0, 0, before, t.slice(1), lastRepeat);
          repeat = before;
          break;
        }
        case '{': {
          const before = t;
          const r = this.parseRepeat(t);
          if (r === null) {
            this.literal();
            t = t.slice(1);
            break;
          }
          const { min, max, rest } = r;
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
            throw new RegexSyntaxError(CODES.invalidRepeatSize, before.slice(0, before.length - rest.length));
          }
          t = this.repeat(Op.Repeat, min, max, before, rest, lastRepeat);
          repeat = before;
          break;
        }
        case '\\': {
          if (t.length >= 2) {
            const c1 = t[1];
            if (c1 === 'A' || c1 === 'z' || c1 === 'b' || c1 === 'B') {
              this.op(c1 === 'b' ? Op.WordBoundary : c1 === 'B' ? Op.NoWordBoundary : Op.BeginText);
              t = t.slice(2);
              break;
            }
            if (c1 === 'C') throw new RegexSyntaxError(CODES.invalidEscape, t.slice(0, 2));
            if (c1 === 'Q') {
              const body = t.slice(2);
              const end = body.indexOf('\\E');
              const lit = end < 0 ? body : body.slice(0, end);
              t = end < 0 ? '' : body.slice(end + 2);
              for (let i = 0; i < lit.length;) {
                this.literal();
                i += (lit.codePointAt(i) as number) > 0xffff ? 2 : 1;
              }
              break;
            }
            const u = this.parseUnicodeClass(t);
            if (u !== null) {
              this.push(node(Op.CharClass));
              t = u;
              break;
            }
            const pc = this.parsePerlClassEscape(t);
            if (pc !== null) {
              this.push(node(Op.CharClass));
              t = pc;
              break;
            }
          }
          t = this.parseEscape(t);
          this.literal();
          break;
        }
        default:
          t = nextRune(t).rest;
          this.literal();
      }
      lastRepeat = repeat;
    }
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    if (this.stack.length !== 1) throw new RegexSyntaxError(CODES.missingParen, this.whole);
  }
}

function parseInt(s: string): { n: number; rest: string } | null {
  if (s === '' || s[0] === undefined || s[0] < '0' || s[0] > '9') return null;
  if (s.length >= 2 && s[0] === '0' && (s[1] as string) >= '0' && (s[1] as string) <= '9') return null;
  let i = 0;
  while (i < s.length && (s[i] as string) >= '0' && (s[i] as string) <= '9') i++;
  let n = 0;
  for (let j = 0; j < i; j++) {
    if (n >= 1e8) {
      n = -1;
      break;
    }
    n = n * 10 + (s.charCodeAt(j) - 48);
  }
  return { n, rest: s.slice(i) };
}

/** The rune value of a valid escape sequence (for class range order checks). */
function escapeValue(esc: string): number {
  const c = esc[1] as string;
  if (c >= '0' && c <= '7') return Number.parseInt(esc.slice(1), 8);
  if (c === 'x') {
    const body = esc.startsWith('\\x{') ? esc.slice(3, -1) : esc.slice(2);
    return Number.parseInt(body, 16);
  }
  const named: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
  return named[c] ?? (c.codePointAt(0) as number);
}

/**
 * Checks a regular expression the way Go's `regexp.Compile` does (RE2 syntax, Perl flags).
 * Returns null when it compiles, else Go's exact error text.
 */
export function goRegexpError(expr: string): string | null {
  try {
    new RegexParser(expr).parse();
    return null;
  } catch (err) {
    if (err instanceof RegexSyntaxError) return err.message;
    throw err;
  }
}
