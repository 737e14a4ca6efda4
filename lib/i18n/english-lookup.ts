// Some lib/ modules answer in English because the CLI and the API share their words (zod schemas,
// car-account errors). A page that shows one of them to an owner recognises the English text and
// gives the owner's language instead. The English side is formatted from the English catalogue
// itself, so each text lives once; an unknown message is shown as it came rather than lost.
// Client-safe and pure.

export type KnownMessage<Key extends string, Values> = readonly [Key, Values?];

export type EnglishLookup<Key extends string, Values> = {
  /** The key and values of a known English message, or undefined. */
  keyOf(message: string): KnownMessage<Key, Values> | undefined;
  /** `message` in the language of `t` (a translator of the same keys), else as it came. */
  translate(message: string, t: (key: Key, values?: Values) => string): string;
};

export function englishLookup<Key extends string, Values>(
  known: readonly KnownMessage<Key, Values>[],
  english: (key: Key, values?: Values) => string,
): EnglishLookup<Key, Values> {
  const byEnglish = new Map(known.map((entry) => [english(entry[0], entry[1]), entry]));
  return {
    keyOf: (message) => byEnglish.get(message),
    translate: (message, t) => {
      const entry = byEnglish.get(message);
      return entry ? t(entry[0], entry[1]) : message;
    },
  };
}
