/*
 * "Never join across brands" (DESIGN.md, Scale-out), checked over the SQL as written: Kysely join
 * calls and the JOINs of raw SQL in src, and the bodies of the database's own functions (triggers).
 *
 * Why the source and not the SQL of a run: a run sees only the paths it drives, and paths such as
 * reconcile, key rotation, erase or the webhook dispatcher are easy for a representative run to miss;
 * the source holds every query. The price is a reader of SQL text, not a parser: it knows the JOIN
 * shapes this code base writes (upper-case SQL keywords, Kysely's join methods), and a shape it does
 * not know is reported, not passed. Not covered: comma joins (`FROM a, b`), UPDATE … FROM and
 * correlated subqueries (when written, the UPDATE … FROMs in src joined VALUES lists, or matched
 * merchant_id in the webhook claim).
 *
 * The rule: a join to a brand-owned table, a CTE or a subquery says in its ON clause that both sides
 * are one brand (`x.merchant_id = y.merchant_id`, or `x.merchant_id = <the caller's brand>`). Joins to
 * global tables, to the system catalog and to VALUES lists need nothing; a CROSS JOIN LATERAL needs its
 * subquery pinned to a brand (`merchant_id = …` inside it).
 */

/** Joins that break the rule on purpose, by `<where>: <join head>`, with the reason. */
export const JOIN_EXCEPTIONS: Record<string, string> = {};

const STOP =
  /\b(?:JOIN|LEFT|RIGHT|INNER|FULL|CROSS|NATURAL|WHERE|GROUP|ORDER|LIMIT|OFFSET|RETURNING|UNION|HAVING|WINDOW|FOR)\b|[);]|\$\$/y;
const ALIAS_KEYWORDS = new Set(['ON', 'USING', 'WHERE', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'GROUP']);

export interface JoinProblem {
  /** `<where>: <join head>`, the key JOIN_EXCEPTIONS uses. */
  key: string;
  /** Where and why, for the failure message. */
  message: string;
}

/** The index just past the bracket that closes the one at `open` (`(` or `{`). */
function closing(text: string, open: number): number {
  const pair = text[open] === '(' ? ['(', ')'] : ['{', '}'];
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === pair[0]) depth++;
    else if (text[i] === pair[1] && --depth === 0) return i + 1;
  }
  return text.length;
}

/** From `from` to the first stop keyword outside brackets. */
function clauseEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{') depth++;
    else if ((c === ')' || c === '}') && depth > 0) depth--;
    else if (depth === 0) {
      STOP.lastIndex = i;
      if (STOP.test(text)) return i;
    }
  }
  return text.length;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Brand conditions for `alias` in a join condition. */
function pinsBrand(condition: string, alias: string): boolean {
  const a = alias.replace(/[^\w]/g, '');
  const side = `\\b${a}\\.merchant_id`;
  const other = String.raw`(?:\w+\.merchant_id\b|\$\{[^}]*\}|\$\d+)`;
  return (
    new RegExp(`${side}\\s*=\\s*${other}`).test(condition) ||
    new RegExp(`${other}\\s*=\\s*${side}`).test(condition) ||
    /^USING\s*\([^)]*\bmerchant_id\b/i.test(condition)
  );
}

/** Problems of the JOINs in a text of SQL (a TypeScript file's templates, or a function body). */
export function sqlJoinProblems(text: string, where: string, globalTables: Set<string>): JoinProblem[] {
  const problems: JoinProblem[] = [];
  const join = /\b((?:(?:LEFT|RIGHT|FULL)(?:\s+OUTER)?|INNER|CROSS)\s+)?JOIN\s+(LATERAL\s+)?/g;
  for (let m = join.exec(text); m; m = join.exec(text)) {
    let i = m.index + m[0].length;
    let relation: { kind: 'table' | 'values' | 'subquery' | 'interpolated'; name: string };
    if (text[i] === '(') {
      const end = closing(text, i);
      const body = text.slice(i + 1, end - 1);
      relation = { kind: /^\s*VALUES\b/.test(body) ? 'values' : 'subquery', name: body };
      i = end;
    } else if (text.startsWith('${', i)) {
      const end = closing(text, i + 1);
      relation = { kind: 'interpolated', name: text.slice(i, end) };
      i = end;
    } else {
      const name = /^[\w."]+/.exec(text.slice(i))?.[0] ?? '';
      relation = { kind: 'table', name: name.replace(/"/g, '') };
      i += name.length;
    }
    const aliasMatch = /^\s+(?:AS\s+)?(\w+)/.exec(text.slice(i));
    let alias = relation.kind === 'table' ? relation.name.split('.').pop()! : '';
    if (aliasMatch && !ALIAS_KEYWORDS.has(aliasMatch[1]!.toUpperCase())) {
      alias = aliasMatch[1]!;
      i += aliasMatch[0].length;
      const columns = /^\s*\(/.exec(text.slice(i));
      if (columns) i = closing(text, i + columns[0].length - 1);
    }
    const rest = /^\s*(ON|USING)\b/.exec(text.slice(i));
    const condition = rest ? text.slice(i + rest[0].length - rest[1]!.length, clauseEnd(text, i + rest[0].length)) : '';
    const head =
      `${m[1] ?? ''}JOIN ${m[2] ?? ''}${relation.kind === 'table' ? relation.name : `(${relation.kind})`} ${alias}`
        .replace(/\s+/g, ' ')
        .trim();
    const key = `${where}: ${head}`;
    const table = relation.name.split('.').pop()!;
    if (relation.kind === 'values') continue;
    if (relation.kind === 'table' && (globalTables.has(table) || table.startsWith('pg_'))) continue;
    if (!rest) {
      if (m[2] && /\bmerchant_id\s*=/.test(relation.name)) continue;
      problems.push({
        key,
        message: `${where}:${lineOf(text, m.index)} ${head} has no join condition and is not a LATERAL subquery pinned to one brand`,
      });
      continue;
    }
    if (!pinsBrand(condition.replace(/^ON\s+/, ''), alias)) {
      problems.push({
        key,
        message:
          `${where}:${lineOf(text, m.index)} ${head} ${condition.replace(/\s+/g, ' ').trim().slice(0, 120)}: ` +
          `say ${alias}.merchant_id = <other side>.merchant_id in the join condition`,
      });
    }
  }
  return problems;
}

/** Problems of the Kysely join calls (`.innerJoin('table as t', …)`) of a TypeScript source. */
export function kyselyJoinProblems(source: string, where: string, globalTables: Set<string>): JoinProblem[] {
  const problems: JoinProblem[] = [];
  const call = /\.(innerJoin|leftJoin|rightJoin|fullJoin|innerJoinLateral|leftJoinLateral|crossJoin)\(/g;
  for (let m = call.exec(source); m; m = call.exec(source)) {
    const open = m.index + m[0].length - 1;
    const args = source.slice(open + 1, closing(source, open) - 1);
    const target = /^\s*['"](\w+)(?:\s+as\s+(\w+))?['"]/.exec(args);
    const head = `${m[1]}(${target ? `'${target[1]}${target[2] ? ` as ${target[2]}` : ''}'` : '…'})`;
    if (target && globalTables.has(target[1]!)) continue;
    const alias = target ? (target[2] ?? target[1]!) : undefined;
    const ref = String.raw`['"](\w+)\.merchant_id['"]`;
    const pairs = [...args.matchAll(new RegExp(`${ref}\\s*,\\s*(?:['"]=['"]\\s*,\\s*)?${ref}`, 'g'))];
    const pinned = pairs.some((p) => alias === undefined || p[1] === alias || p[2] === alias);
    if (!pinned) {
      problems.push({
        key: `${where}: ${head}`,
        message:
          `${where}:${lineOf(source, m.index)} .${head} does not join on merchant_id: ` +
          `add .onRef('${alias ?? '<alias>'}.merchant_id', '=', '<other>.merchant_id')`,
      });
    }
  }
  return problems;
}

/** The source with `//` and block comment lines blanked (prose may say JOIN), line numbers kept. */
export function withoutCommentLines(source: string): string {
  return source
    .split('\n')
    .map((line) => (/^\s*(\/\/|\/\*|\*)/.test(line) ? '' : line))
    .join('\n');
}
