import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { en } from '@/messages/en';
import { fr } from '@/messages/fr';

// The message catalogues as a whole: the type already makes French carry the English keys; this
// checks what the type cannot — every message says something in both languages, a translation
// keeps the English placeholders (a `{name}` lost in French would print nothing), and every
// message is valid ICU that next-intl can format.

type Tree = { [key: string]: string | Tree };

/** Every message of a catalogue, as [dotted key, text]. */
function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : leaves(value, `${prefix}${key}.`),
  );
}

const ICU_BRANCHED = new Set(['plural', 'select', 'selectordinal']);

/**
 * The argument names of an ICU message (`{name}`, `{count, plural, …}`, and those nested in
 * branches), skipping quoted literals ('{…}'). Throws on unbalanced braces.
 */
function icuArguments(message: string): Set<string> {
  const names = new Set<string>();
  let i = 0;

  const skipSpace = () => {
    while (i < message.length && /\s/.test(message[i] ?? '')) i += 1;
  };
  const readUntil = (stops: string) => {
    const start = i;
    while (i < message.length && !stops.includes(message[i] ?? '')) i += 1;
    if (i >= message.length) throw new Error(`unclosed argument in ${message}`);
    return message.slice(start, i).trim();
  };

  // Text until the end, or (nested) until the `}` closing a branch.
  const text = (nested: boolean): void => {
    while (i < message.length) {
      const c = message[i];
      if (c === "'") {
        const next = message[i + 1];
        if (next === "'") i += 2;
        else if (next === '{' || next === '}' || next === '#') {
          const close = message.indexOf("'", i + 1);
          i = close === -1 ? message.length : close + 1;
        } else i += 1;
      } else if (c === '{') {
        i += 1;
        argument();
      } else if (c === '}') {
        if (nested) return;
        throw new Error(`unbalanced } in ${message}`);
      } else i += 1;
    }
    if (nested) throw new Error(`unclosed branch in ${message}`);
  };

  const argument = (): void => {
    const name = readUntil(',}');
    if (!/^\w+$/.test(name)) throw new Error(`bad argument name "${name}" in ${message}`);
    names.add(name);
    if (message[i] === '}') {
      i += 1;
      return;
    }
    i += 1;
    const type = readUntil(',}');
    if (message[i] === '}') {
      i += 1;
      return;
    }
    i += 1;
    if (!ICU_BRANCHED.has(type)) {
      readUntil('}'); // a style such as `number, integer`
      i += 1;
      return;
    }
    for (;;) {
      skipSpace();
      if (message[i] === '}') {
        i += 1;
        return;
      }
      const selector = readUntil('{');
      if (selector === '' || /\s/.test(selector)) throw new Error(`bad selector in ${message}`);
      i += 1;
      text(true);
      i += 1; // the branch's `}`
    }
  };

  text(false);
  return names;
}

describe('icuArguments', () => {
  it('finds simple, typed and nested arguments', () => {
    expect(icuArguments('Hello')).toEqual(new Set());
    expect(icuArguments('{name} on {system}')).toEqual(new Set(['name', 'system']));
    expect(icuArguments('{count, plural, one {# car} other {# cars}} in {place}')).toEqual(
      new Set(['count', 'place']),
    );
    expect(
      icuArguments('{unit, select, day {{count, plural, one {# day} other {# days}}} other {{severity}}}'),
    ).toEqual(new Set(['unit', 'count', 'severity']));
    expect(icuArguments('{n, number, integer} km')).toEqual(new Set(['n']));
  });

  it('skips quoted literals and refuses broken messages', () => {
    expect(icuArguments("Type '{name}' here, it''s {real}")).toEqual(new Set(['real']));
    expect(() => icuArguments('{open')).toThrow();
    expect(() => icuArguments('close}')).toThrow();
    expect(() => icuArguments('{count, plural, one {# car}')).toThrow();
  });
});

const english = leaves(en as Tree);
const french = new Map(leaves(fr as Tree));

describe('message catalogues', () => {
  it('have the same namespaces and keys in both languages', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    expect([...french.keys()].sort()).toEqual(english.map(([key]) => key).sort());
  });

  it.each(english)('%s says something in both languages, with the same placeholders', (key, text) => {
    const translated = french.get(key) ?? '';
    expect(text.trim()).not.toBe('');
    expect(translated.trim()).not.toBe('');
    expect(icuArguments(translated)).toEqual(icuArguments(text));
  });

  it('would notice a message next-intl cannot format', () => {
    const problems: string[] = [];
    // Typed loosely like the check below: the catalogue's own types cannot describe a broken message.
    const t = createTranslator({
      locale: 'en',
      messages: { broken: { open: 'Hello {name' } },
      onError: (error) => problems.push(error.code),
    }) as unknown as (key: string, values: Record<string, string>) => string;
    t('broken.open', { name: 'x' });
    expect(problems).toHaveLength(1);
  });

  it('formats every message in both languages without an ICU error', () => {
    const problems: string[] = [];
    for (const [locale, messages] of [
      ['en', en],
      ['fr', fr],
    ] as const) {
      const t = createTranslator({
        locale,
        messages,
        timeZone: 'UTC',
        onError: (error) => problems.push(`${locale}: ${error.message}`),
      }) as unknown as (key: string, values: Record<string, string | number>) => string;
      for (const [key, text] of english) {
        // Numbers fit plural arguments and read as the `other` branch of a select.
        const values = Object.fromEntries([...icuArguments(text)].map((name) => [name, 3]));
        const formatted = t(key, values);
        expect(formatted, `${locale} ${key}`).not.toBe('');
      }
    }
    expect(problems).toEqual([]);
  });
});
