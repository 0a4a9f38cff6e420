/**
 * InfluxQL lexer: a faithful port of the scanner in InfluxDB 1.x's Go parser (influxql 1.1.0,
 * `scanner.go` + `token.go`), including its quirks, because error positions are part of the contract:
 * influxd reports `at line L, char C` from this scanner's bookkeeping, e.g. an EOF that was consumed
 * once is reported one character past the end of the text, a NUL character acts as end of input, and
 * `\r\n` / lone `\r` count as one newline.
 *
 * Positions are kept as the Go scanner keeps them (0-based line and rune index within the line) plus
 * the UTF-16 offset into the source, which editors need.
 */

/** Token kinds, in the same order as Go's `Token` constants (the order matters for operator checks). */
export enum Tok {
  ILLEGAL,
  EOF,
  WS,
  COMMENT,
  literalBeg,
  IDENT,
  BOUNDPARAM,
  NUMBER,
  INTEGER,
  DURATIONVAL,
  STRING,
  BADSTRING,
  BADESCAPE,
  TRUE,
  FALSE,
  REGEX,
  BADREGEX,
  literalEnd,
  operatorBeg,
  ADD,
  SUB,
  MUL,
  DIV,
  MOD,
  BITWISE_AND,
  BITWISE_OR,
  BITWISE_XOR,
  AND,
  OR,
  EQ,
  NEQ,
  EQREGEX,
  NEQREGEX,
  LT,
  LTE,
  GT,
  GTE,
  operatorEnd,
  LPAREN,
  RPAREN,
  COMMA,
  COLON,
  DOUBLECOLON,
  SEMICOLON,
  DOT,
  keywordBeg,
  ALL,
  ALTER,
  ANALYZE,
  ANY,
  AS,
  ASC,
  BEGIN,
  BY,
  CARDINALITY,
  CREATE,
  CONTINUOUS,
  DATABASE,
  DATABASES,
  DEFAULT,
  DELETE,
  DESC,
  DESTINATIONS,
  DIAGNOSTICS,
  DISTINCT,
  DROP,
  DURATION,
  END,
  EVERY,
  EXACT,
  EXPLAIN,
  FIELD,
  FOR,
  FROM,
  GRANT,
  GRANTS,
  GROUP,
  GROUPS,
  IN,
  INF,
  INSERT,
  INTO,
  KEY,
  KEYS,
  KILL,
  LIMIT,
  MEASUREMENT,
  MEASUREMENTS,
  NAME,
  OFFSET,
  ON,
  ORDER,
  PASSWORD,
  POLICY,
  POLICIES,
  PRIVILEGES,
  QUERIES,
  QUERY,
  READ,
  REPLICATION,
  RESAMPLE,
  RETENTION,
  REVOKE,
  SELECT,
  SERIES,
  SET,
  SHOW,
  SHARD,
  SHARDS,
  SLIMIT,
  SOFFSET,
  STATS,
  SUBSCRIPTION,
  SUBSCRIPTIONS,
  TAG,
  TO,
  USER,
  USERS,
  VALUES,
  WHERE,
  WITH,
  WRITE,
  keywordEnd,
}

// Token display strings exactly as Go's `tokens` table: BOUNDPARAM, COMMENT, BADREGEX and the range
// markers have no entry there, so they print as the empty string (which shows in error texts).
const TOKEN_STRINGS: Partial<Record<Tok, string>> = {
  [Tok.ILLEGAL]: 'ILLEGAL',
  [Tok.EOF]: 'EOF',
  [Tok.WS]: 'WS',
  [Tok.IDENT]: 'IDENT',
  [Tok.NUMBER]: 'NUMBER',
  [Tok.DURATIONVAL]: 'DURATIONVAL',
  [Tok.STRING]: 'STRING',
  [Tok.BADSTRING]: 'BADSTRING',
  [Tok.BADESCAPE]: 'BADESCAPE',
  [Tok.TRUE]: 'TRUE',
  [Tok.FALSE]: 'FALSE',
  [Tok.REGEX]: 'REGEX',
  [Tok.ADD]: '+',
  [Tok.SUB]: '-',
  [Tok.MUL]: '*',
  [Tok.DIV]: '/',
  [Tok.MOD]: '%',
  [Tok.BITWISE_AND]: '&',
  [Tok.BITWISE_OR]: '|',
  [Tok.BITWISE_XOR]: '^',
  [Tok.AND]: 'AND',
  [Tok.OR]: 'OR',
  [Tok.EQ]: '=',
  [Tok.NEQ]: '!=',
  [Tok.EQREGEX]: '=~',
  [Tok.NEQREGEX]: '!~',
  [Tok.LT]: '<',
  [Tok.LTE]: '<=',
  [Tok.GT]: '>',
  [Tok.GTE]: '>=',
  [Tok.LPAREN]: '(',
  [Tok.RPAREN]: ')',
  [Tok.COMMA]: ',',
  [Tok.COLON]: ':',
  [Tok.DOUBLECOLON]: '::',
  [Tok.SEMICOLON]: ';',
  [Tok.DOT]: '.',
};

const KEYWORD_TOKENS: Tok[] = [];
for (let t = Tok.keywordBeg + 1; t < Tok.keywordEnd; t++) {
  KEYWORD_TOKENS.push(t);
  TOKEN_STRINGS[t as Tok] = Tok[t];
}

const KEYWORDS = new Map<string, Tok>();
for (const t of KEYWORD_TOKENS) KEYWORDS.set(Tok[t].toLowerCase(), t);
KEYWORDS.set('and', Tok.AND);
KEYWORDS.set('or', Tok.OR);
KEYWORDS.set('true', Tok.TRUE);
KEYWORDS.set('false', Tok.FALSE);

/** Every reserved word of InfluxQL 1.x, upper-case (these must be double-quoted to be used as names). */
export const RESERVED_WORDS: readonly string[] = [...KEYWORD_TOKENS.map((t) => Tok[t]), 'AND', 'OR', 'TRUE', 'FALSE'];

/** The display string of a token kind, as Go's `Token.String()` prints it. */
export function tokenString(tok: Tok): string {
  return TOKEN_STRINGS[tok] ?? '';
}

/** Go's `tokstr`: the literal when there is one, else the token's name. */
export function tokstr(tok: Tok, lit: string): string {
  return lit !== '' ? lit : tokenString(tok);
}

/** Keyword (or IDENT) for a word, case-insensitively, as Go's `Lookup`. */
export function lookupKeyword(ident: string): Tok {
  return KEYWORDS.get(ident.toLowerCase()) ?? Tok.IDENT;
}

/** Operator precedence, as Go's `Token.Precedence`. */
export function precedence(tok: Tok): number {
  switch (tok) {
    case Tok.OR:
      return 1;
    case Tok.AND:
      return 2;
    case Tok.EQ:
    case Tok.NEQ:
    case Tok.EQREGEX:
    case Tok.NEQREGEX:
    case Tok.LT:
    case Tok.LTE:
    case Tok.GT:
    case Tok.GTE:
      return 3;
    case Tok.ADD:
    case Tok.SUB:
    case Tok.BITWISE_OR:
    case Tok.BITWISE_XOR:
      return 4;
    case Tok.MUL:
    case Tok.DIV:
    case Tok.MOD:
    case Tok.BITWISE_AND:
      return 5;
    default:
      return 0;
  }
}

/** Whether a token is a binary operator. */
export function isOperator(tok: Tok): boolean {
  return tok > Tok.operatorBeg && tok < Tok.operatorEnd;
}

/** A source position: 0-based line and rune column as influxd counts them, plus the UTF-16 offset. */
export interface Pos {
  readonly line: number;
  readonly char: number;
  readonly offset: number;
}

/** One scanned token. `end` is the UTF-16 offset just past it. */
export interface Token {
  readonly tok: Tok;
  readonly pos: Pos;
  readonly lit: string;
  readonly end: number;
}

/** Go's `eof` marker rune: the scanner reads a NUL character as end of input too. */
export const EOF_RUNE = 0;

const isWhitespace = (ch: number): boolean => ch === 0x20 || ch === 0x09 || ch === 0x0a;
const isLetter = (ch: number): boolean => (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a);
const isDigit = (ch: number): boolean => ch >= 0x30 && ch <= 0x39;
const isIdentChar = (ch: number): boolean => isLetter(ch) || isDigit(ch) || ch === 0x5f;
const MICRO = 0xb5; // 'µ', accepted as a duration unit letter

/** Whether a rune may start an unquoted identifier. */
export function isIdentFirstChar(ch: number): boolean {
  return isLetter(ch) || ch === 0x5f;
}

/** Whether a rune may continue an unquoted identifier. */
export function isIdentCharCode(ch: number): boolean {
  return isIdentChar(ch);
}

interface RuneSlot {
  ch: number;
  line: number;
  char: number;
  offset: number;
}

/**
 * The rune reader under the scanner: a 3-slot ring buffer that can unread, exactly like Go's
 * `reader` (the scanner relies on unreading up to three runes; the position rules live here).
 */
export class RuneReader {
  private idx = 0;
  private i = 0;
  private n = 0;
  private line = 0;
  private char = 0;
  private sawEof = false;
  private readonly buf: RuneSlot[] = [0, 1, 2].map(() => ({ ch: 0, line: 0, char: 0, offset: 0 }));

  constructor(private readonly src: string) {}

  /** Reads the next rune and its position. */
  read(): RuneSlot {
    if (this.n > 0) {
      this.n--;
      return this.curr();
    }
    const offset = this.idx;
    let ch: number;
    if (this.idx >= this.src.length) {
      ch = EOF_RUNE;
    } else {
      ch = this.src.codePointAt(this.idx) ?? EOF_RUNE;
      this.idx += ch > 0xffff ? 2 : 1;
      if (ch === 0x0d) {
        // \r\n and a lone \r both read as one \n.
        if (this.idx < this.src.length && this.src.charCodeAt(this.idx) === 0x0a) this.idx++;
        ch = 0x0a;
      }
    }
    this.i = (this.i + 1) % 3;
    const slot = this.buf[this.i] as RuneSlot;
    slot.ch = ch;
    slot.line = this.line;
    slot.char = this.char;
    slot.offset = offset;
    if (ch === 0x0a) {
      this.line++;
      this.char = 0;
    } else if (!this.sawEof) {
      // Only the first EOF advances the column; later ones repeat the position after it.
      this.char++;
    }
    if (ch === EOF_RUNE) this.sawEof = true;
    return this.curr();
  }

  /** Pushes the last read rune back. */
  unread(): void {
    this.n++;
  }

  /** The last read rune. */
  curr(): RuneSlot {
    const slot = this.buf[(this.i - this.n + 3) % 3] as RuneSlot;
    return { ch: slot.ch, line: slot.line, char: slot.char, offset: slot.offset };
  }

  /** UTF-16 offset of the next rune that `read` would return. */
  nextOffset(): number {
    if (this.n > 0) return (this.buf[(this.i - this.n + 1 + 3) % 3] as RuneSlot).offset;
    return Math.min(this.idx, this.src.length);
  }

  /** `io.RuneReader` view: EOF (and NUL) report as end of input. */
  readRune(): { ch: number; eof: boolean } {
    const { ch } = this.read();
    return { ch, eof: ch === EOF_RUNE };
  }
}

const posOf = (s: RuneSlot): Pos => ({ line: s.line, char: s.char, offset: s.offset });

type ScanResult = { tok: Tok; pos: Pos; lit: string };

class BadStringError {
  constructor(readonly kind: 'string' | 'escape') {}
}

/** Go's `ScanString`: reads a quoted string whose quote is the next rune. */
function scanQuoted(r: RuneReader): { lit: string; err: BadStringError | null } {
  const first = r.readRune();
  if (first.eof) return { lit: '', err: new BadStringError('string') };
  const ending = first.ch;
  let buf = '';
  for (;;) {
    const c0 = r.readRune();
    if (c0.ch === ending) return { lit: buf, err: null };
    if (c0.eof || c0.ch === 0x0a) return { lit: buf, err: new BadStringError('string') };
    if (c0.ch === 0x5c) {
      const c1 = r.readRune().ch;
      if (c1 === 0x6e) buf += '\n';
      else if (c1 === 0x5c) buf += '\\';
      else if (c1 === 0x22) buf += '"';
      else if (c1 === 0x27) buf += "'";
      else return { lit: '\\' + String.fromCodePoint(c1), err: new BadStringError('escape') };
    } else {
      buf += String.fromCodePoint(c0.ch);
    }
  }
}

/** Go's `ScanBareIdent`. */
function scanBareIdent(r: RuneReader): string {
  let buf = '';
  for (;;) {
    const { ch, eof } = r.readRune();
    if (eof) break; // EOF is consumed, not unread: this is what moves later EOF positions by one
    if (!isIdentChar(ch)) {
      r.unread();
      break;
    }
    buf += String.fromCodePoint(ch);
  }
  return buf;
}

/** The InfluxQL scanner (Go's `Scanner`). */
export class Scanner {
  readonly r: RuneReader;

  constructor(src: string) {
    this.r = new RuneReader(src);
  }

  /** Scans the next token. */
  scan(): ScanResult {
    const c0 = this.r.read();
    const ch0 = c0.ch;
    const pos = posOf(c0);
    if (isWhitespace(ch0)) return this.scanWhitespace();
    if (isLetter(ch0) || ch0 === 0x5f) {
      this.r.unread();
      return this.scanIdent(true);
    }
    if (isDigit(ch0)) return this.scanNumber();

    switch (ch0) {
      case EOF_RUNE:
        return { tok: Tok.EOF, pos, lit: '' };
      case 0x22: // "
        this.r.unread();
        return this.scanIdent(true);
      case 0x27: // '
        return this.scanString();
      case 0x2e: {
        // .
        const ch1 = this.r.read().ch;
        this.r.unread();
        if (isDigit(ch1)) return this.scanNumber();
        return { tok: Tok.DOT, pos, lit: '' };
      }
      case 0x24: {
        // $
        const id = this.scanIdent(false);
        if (id.tok !== Tok.IDENT) return { tok: id.tok, pos, lit: '$' + id.lit };
        return { tok: Tok.BOUNDPARAM, pos, lit: '$' + id.lit };
      }
      case 0x2b:
        return { tok: Tok.ADD, pos, lit: '' };
      case 0x2d: {
        const ch1 = this.r.read().ch;
        if (ch1 === 0x2d) {
          this.skipUntilNewline();
          return { tok: Tok.COMMENT, pos, lit: '' };
        }
        this.r.unread();
        return { tok: Tok.SUB, pos, lit: '' };
      }
      case 0x2a:
        return { tok: Tok.MUL, pos, lit: '' };
      case 0x2f: {
        const ch1 = this.r.read().ch;
        if (ch1 === 0x2a) {
          if (!this.skipUntilEndComment()) return { tok: Tok.ILLEGAL, pos, lit: '' };
          return { tok: Tok.COMMENT, pos, lit: '' };
        }
        this.r.unread();
        return { tok: Tok.DIV, pos, lit: '' };
      }
      case 0x25:
        return { tok: Tok.MOD, pos, lit: '' };
      case 0x26:
        return { tok: Tok.BITWISE_AND, pos, lit: '' };
      case 0x7c:
        return { tok: Tok.BITWISE_OR, pos, lit: '' };
      case 0x5e:
        return { tok: Tok.BITWISE_XOR, pos, lit: '' };
      case 0x3d: {
        if (this.r.read().ch === 0x7e) return { tok: Tok.EQREGEX, pos, lit: '' };
        this.r.unread();
        return { tok: Tok.EQ, pos, lit: '' };
      }
      case 0x21: {
        const ch1 = this.r.read().ch;
        if (ch1 === 0x3d) return { tok: Tok.NEQ, pos, lit: '' };
        if (ch1 === 0x7e) return { tok: Tok.NEQREGEX, pos, lit: '' };
        this.r.unread();
        break;
      }
      case 0x3e: {
        if (this.r.read().ch === 0x3d) return { tok: Tok.GTE, pos, lit: '' };
        this.r.unread();
        return { tok: Tok.GT, pos, lit: '' };
      }
      case 0x3c: {
        const ch1 = this.r.read().ch;
        if (ch1 === 0x3d) return { tok: Tok.LTE, pos, lit: '' };
        if (ch1 === 0x3e) return { tok: Tok.NEQ, pos, lit: '' };
        this.r.unread();
        return { tok: Tok.LT, pos, lit: '' };
      }
      case 0x28:
        return { tok: Tok.LPAREN, pos, lit: '' };
      case 0x29:
        return { tok: Tok.RPAREN, pos, lit: '' };
      case 0x2c:
        return { tok: Tok.COMMA, pos, lit: '' };
      case 0x3b:
        return { tok: Tok.SEMICOLON, pos, lit: '' };
      case 0x3a: {
        if (this.r.read().ch === 0x3a) return { tok: Tok.DOUBLECOLON, pos, lit: '' };
        this.r.unread();
        return { tok: Tok.COLON, pos, lit: '' };
      }
    }
    return { tok: Tok.ILLEGAL, pos, lit: String.fromCodePoint(ch0) };
  }

  private scanWhitespace(): ScanResult {
    const cur = this.r.curr();
    let buf = String.fromCodePoint(cur.ch);
    for (;;) {
      const { ch } = this.r.read();
      if (ch === EOF_RUNE) break;
      if (!isWhitespace(ch)) {
        this.r.unread();
        break;
      }
      buf += String.fromCodePoint(ch);
    }
    return { tok: Tok.WS, pos: posOf(cur), lit: buf };
  }

  private skipUntilNewline(): void {
    for (;;) {
      const { ch } = this.r.read();
      if (ch === 0x0a || ch === EOF_RUNE) return;
    }
  }

  private skipUntilEndComment(): boolean {
    for (;;) {
      const ch1 = this.r.read().ch;
      if (ch1 === 0x2a) {
        for (;;) {
          const ch2 = this.r.read().ch;
          if (ch2 === 0x2f) return true;
          if (ch2 === 0x2a) continue;
          if (ch2 === EOF_RUNE) return false;
          break;
        }
      } else if (ch1 === EOF_RUNE) {
        return false;
      }
    }
  }

  private scanIdent(lookup: boolean): ScanResult {
    const start = this.r.read();
    this.r.unread();
    const pos = posOf(start);
    let buf = '';
    for (;;) {
      const { ch } = this.r.read();
      if (ch === EOF_RUNE) break;
      if (ch === 0x22) {
        const s = this.scanString();
        if (s.tok === Tok.BADSTRING || s.tok === Tok.BADESCAPE) return s;
        return { tok: Tok.IDENT, pos, lit: s.lit };
      } else if (isIdentChar(ch)) {
        this.r.unread();
        buf += scanBareIdent(this.r);
      } else {
        this.r.unread();
        break;
      }
    }
    if (lookup) {
      const tok = lookupKeyword(buf);
      if (tok !== Tok.IDENT) return { tok, pos, lit: '' };
    }
    return { tok: Tok.IDENT, pos, lit: buf };
  }

  private scanString(): ScanResult {
    this.r.unread();
    let pos = posOf(this.r.curr());
    const { lit, err } = scanQuoted(this.r);
    if (err?.kind === 'string') return { tok: Tok.BADSTRING, pos, lit };
    if (err?.kind === 'escape') {
      pos = posOf(this.r.curr());
      return { tok: Tok.BADESCAPE, pos, lit };
    }
    return { tok: Tok.STRING, pos, lit };
  }

  /** Scans a `/regex/` (Go's `ScanRegex`); the parser calls it when it expects a regex. */
  scanRegex(): ScanResult {
    const pos = posOf(this.r.curr());
    const start = this.r.readRune();
    if (start.eof || start.ch !== 0x2f) return { tok: Tok.BADREGEX, pos, lit: '' };
    let buf = '';
    for (;;) {
      const c0 = this.r.readRune();
      if (c0.ch === 0x2f) return { tok: Tok.REGEX, pos, lit: buf };
      if (c0.eof || c0.ch === 0x0a) return { tok: Tok.BADREGEX, pos, lit: '' };
      if (c0.ch === 0x5c) {
        const c1 = this.r.readRune();
        if (c1.eof) return { tok: Tok.BADREGEX, pos, lit: '' };
        if (c1.ch === 0x2f) {
          buf += '/';
        } else {
          // Unknown escapes pass through: keep the backslash and re-read the next rune.
          this.r.unread();
          buf += '\\';
        }
      } else {
        buf += String.fromCodePoint(c0.ch);
      }
    }
  }

  private scanNumber(): ScanResult {
    let buf = '';
    const cur = this.r.curr();
    const pos = posOf(cur);
    if (cur.ch === 0x2e) {
      const ch1 = this.r.read().ch;
      this.r.unread();
      if (!isDigit(ch1)) return { tok: Tok.ILLEGAL, pos, lit: '.' };
      this.r.unread();
    } else {
      this.r.unread();
    }
    buf += this.scanDigits();
    let isDecimal = false;
    const ch0 = this.r.read().ch;
    if (ch0 === 0x2e) {
      isDecimal = true;
      const ch1 = this.r.read().ch;
      if (isDigit(ch1)) {
        buf += '.' + String.fromCodePoint(ch1) + this.scanDigits();
      } else {
        this.r.unread();
      }
    } else {
      this.r.unread();
    }
    if (!isDecimal) {
      const c = this.r.read().ch;
      if (isLetter(c) || c === MICRO) {
        buf += String.fromCodePoint(c);
        for (;;) {
          const c1 = this.r.read().ch;
          if (!isLetter(c1) && c1 !== MICRO) {
            this.r.unread();
            break;
          }
          buf += String.fromCodePoint(c1);
        }
        for (;;) {
          const c2 = this.r.read().ch;
          if (isLetter(c2) || c2 === MICRO || isDigit(c2)) {
            buf += String.fromCodePoint(c2);
          } else {
            this.r.unread();
            break;
          }
        }
        return { tok: Tok.DURATIONVAL, pos, lit: buf };
      }
      this.r.unread();
      return { tok: Tok.INTEGER, pos, lit: buf };
    }
    return { tok: Tok.NUMBER, pos, lit: buf };
  }

  private scanDigits(): string {
    let buf = '';
    for (;;) {
      const { ch } = this.r.read();
      if (!isDigit(ch)) {
        this.r.unread();
        break;
      }
      buf += String.fromCodePoint(ch);
    }
    return buf;
  }
}

interface TokenSlot {
  tok: Tok;
  pos: Pos;
  lit: string;
  end: number;
  /** End offset of the last non-whitespace, non-comment token before this one. */
  prevSigEnd: number;
}

/** Go's `bufScanner`: a 3-token ring buffer over the scanner, so the parser can unscan. */
export class BufScanner {
  readonly s: Scanner;
  private i = 0;
  private n = 0;
  private readonly buf: TokenSlot[] = [0, 1, 2].map(() => ({
    tok: Tok.ILLEGAL,
    pos: { line: 0, char: 0, offset: 0 },
    lit: '',
    end: 0,
    prevSigEnd: 0,
  }));

  constructor(src: string) {
    this.s = new Scanner(src);
  }

  /** Next token (from the buffer after an unscan). */
  scan(): Token {
    return this.scanWith(() => this.s.scan());
  }

  /** Next token, scanned as a regex. */
  scanRegex(): Token {
    return this.scanWith(() => this.s.scanRegex());
  }

  private scanWith(fn: () => ScanResult): Token {
    if (this.n > 0) {
      this.n--;
      return this.curr();
    }
    const prevSigEnd = this.significantEnd();
    this.i = (this.i + 1) % 3;
    const res = fn();
    const slot = this.buf[this.i] as TokenSlot;
    slot.tok = res.tok;
    slot.pos = res.pos;
    slot.lit = res.lit;
    slot.end = this.s.r.nextOffset();
    slot.prevSigEnd = prevSigEnd;
    return this.curr();
  }

  /** Pushes the last token back. */
  unscan(): void {
    this.n++;
  }

  /** The last token read. */
  curr(): Token {
    const slot = this.buf[(this.i - this.n + 3) % 3] as TokenSlot;
    return { tok: slot.tok, pos: slot.pos, lit: slot.lit, end: slot.end };
  }

  /** End offset of the last significant (non-whitespace, non-comment) token consumed. */
  significantEnd(): number {
    const slot = this.buf[(this.i - this.n + 3) % 3] as TokenSlot;
    return slot.tok === Tok.WS || slot.tok === Tok.COMMENT ? slot.prevSigEnd : slot.end;
  }
}

/** Lexes a whole text into tokens (for highlighting); regexes are not recognised in this mode. */
export function tokenize(src: string): Token[] {
  const s = new Scanner(src);
  const out: Token[] = [];
  for (;;) {
    const r = s.scan();
    out.push({ ...r, end: s.r.nextOffset() });
    if (r.tok === Tok.EOF || out.length > src.length + 2) return out;
  }
}
