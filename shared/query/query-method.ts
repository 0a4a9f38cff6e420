/**
 * Whether a query must be POSTed. InfluxDB 1.x requires POST for statements that change something
 * (1.6 still runs them over GET but warns; later versions refuse), and a read over GET keeps the
 * request cacheable and visible in server logs.
 */
const WRITE_KEYWORDS = new Set(['CREATE', 'DROP', 'ALTER', 'GRANT', 'REVOKE', 'DELETE', 'KILL', 'SET']);

/** True when any statement of the script changes something (or is a SELECT … INTO). */
export function statementsNeedPost(q: string): boolean {
  const text = stripComments(q);
  for (const statement of splitTopLevel(text)) {
    const words = statement.trim().split(/\s+/);
    const first = (words[0] ?? '').toUpperCase();
    if (WRITE_KEYWORDS.has(first)) return true;
    if (first === 'SELECT' && /\bINTO\b/i.test(statement.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')))
      return true;
  }
  return false;
}

function stripComments(q: string): string {
  return q.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) =>
    m.startsWith('--') || m.startsWith('/*') ? ' ' : m,
  );
}

function splitTopLevel(q: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (quote) {
      cur += c;
      if (c === '\\') {
        cur += q[i + 1] ?? '';
        i++;
      } else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur += c;
    } else if (c === ';') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((s) => s.trim() !== '');
}
