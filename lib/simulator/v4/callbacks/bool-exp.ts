// The `triggerParam.boolExp` of a monitor (spec 4.17 MonitorParameter): a boolean expression over
// trigger names with the spec's grammar
//   exp ::= exp '&' exp | exp '|' exp | (exp) | !exp
// read with the usual precedence (! binds tightest, then &, then |) [infer: the spec gives none].
// The spec refuses expressions that are always true or always false with a 400; with at most five
// triggers that is checked on the whole truth table.

export type BoolExp =
  | { kind: 'name'; name: string }
  | { kind: 'not'; operand: BoolExp }
  | { kind: 'and' | 'or'; left: BoolExp; right: BoolExp };

export class BoolExpError extends Error {}

type Token = { kind: 'name'; text: string; at: number } | { kind: '&' | '|' | '!' | '(' | ')'; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text.charAt(at);
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === '&' || char === '|' || char === '!' || char === '(' || char === ')') {
      tokens.push({ kind: char, at });
      at += 1;
    } else {
      const name = /^[A-Za-z][A-Za-z0-9._-]*/.exec(text.slice(at))?.[0];
      if (!name) throw new BoolExpError(`unexpected "${char}" at ${at + 1}`);
      tokens.push({ kind: 'name', text: name, at });
      at += name.length;
    }
  }
  return tokens;
}

/**
 * Parses `text` over the trigger `names`; throws BoolExpError for a syntax error, an unknown name,
 * or an expression that is always true or always false.
 */
export function parseBoolExp(text: string, names: readonly string[]): BoolExp {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const fail = (what: string): never => {
    const token = peek();
    throw new BoolExpError(token ? `${what} at ${token.at + 1}` : `${what} at the end`);
  };

  function primary(): BoolExp {
    const token = peek();
    if (!token) return fail('expected a trigger name');
    position += 1;
    if (token.kind === '!') return { kind: 'not', operand: primary() };
    if (token.kind === '(') {
      const inner = or();
      if (peek()?.kind !== ')') fail('expected ")"');
      position += 1;
      return inner;
    }
    if (token.kind !== 'name') {
      position -= 1;
      return fail('expected a trigger name');
    }
    if (!names.includes(token.text)) throw new BoolExpError(`unknown trigger "${token.text}"`);
    return { kind: 'name', name: token.text };
  }

  function and(): BoolExp {
    let left = primary();
    while (peek()?.kind === '&') {
      position += 1;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  }

  function or(): BoolExp {
    let left = and();
    while (peek()?.kind === '|') {
      position += 1;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }

  const expression = or();
  if (position < tokens.length) fail('unexpected text');
  checkNotConstant(expression);
  return expression;
}

export function evaluateBoolExp(expression: BoolExp, truth: (name: string) => boolean): boolean {
  switch (expression.kind) {
    case 'name':
      return truth(expression.name);
    case 'not':
      return !evaluateBoolExp(expression.operand, truth);
    case 'and':
      return evaluateBoolExp(expression.left, truth) && evaluateBoolExp(expression.right, truth);
    case 'or':
      return evaluateBoolExp(expression.left, truth) || evaluateBoolExp(expression.right, truth);
  }
}

/** The trigger names an expression reads, each once. */
export function namesOf(expression: BoolExp): string[] {
  switch (expression.kind) {
    case 'name':
      return [expression.name];
    case 'not':
      return namesOf(expression.operand);
    default:
      return [...new Set([...namesOf(expression.left), ...namesOf(expression.right)])];
  }
}

function checkNotConstant(expression: BoolExp): void {
  const names = namesOf(expression);
  let trueRows = 0;
  const rows = 2 ** names.length;
  for (let row = 0; row < rows; row++) {
    if (evaluateBoolExp(expression, (name) => ((row >> names.indexOf(name)) & 1) === 1)) trueRows++;
  }
  if (trueRows === 0) throw new BoolExpError('the expression is always false');
  if (trueRows === rows) throw new BoolExpError('the expression is always true');
}
