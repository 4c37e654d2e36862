/** Text generators shared by the SMS tests (no tests here). */
import fc from 'fast-check';

/** Characters of the GSM basic table that are also ASCII, most of what real messages hold. */
export const GSM_ASCII =
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?:;\'"()*+-/<=>#%&@$_\n\r';
/** The rest of the basic table. */
export const GSM_NON_ASCII = '£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà';
/** The extension table: two septets each. */
export const GSM_EXTENSION = '^{}\\[~]|€\f';
/** Emoji that are one code point (two UTF-16 units) and one grapheme each. */
export const EMOJI = ['😀', '😁', '🎉', '🚀', '👍', '💡', '🔥', '🙂', '🤖', '📦'];
/** CJK and Hangul syllables: one unit and one grapheme each. */
export const CJK = '汉字你好中文測試日本語한국어です';
/** Latin, Greek, Cyrillic and typography that GSM-7 lacks (each one code point, no combining marks). */
export const NON_GSM_LATIN = 'çąłżśêõâ—’“”`ёжαβ';

const pick = (chars: readonly string[]) => fc.constantFrom(...chars);

/**
 * One "character" for realistic SMS text, weighted toward GSM so that all-GSM messages stay
 * common; every choice is a single code point, hence a single grapheme.
 */
export const smsChar = fc.oneof(
  { weight: 30, arbitrary: pick([...GSM_ASCII]) },
  { weight: 4, arbitrary: pick([...GSM_NON_ASCII]) },
  { weight: 3, arbitrary: pick([...GSM_EXTENSION]) },
  { weight: 1, arbitrary: pick(EMOJI) },
  { weight: 1, arbitrary: pick([...CJK]) },
  { weight: 1, arbitrary: pick([...NON_GSM_LATIN]) },
);

/** Any UTF-16 code unit, lone surrogates included: what a JavaScript string can hold. */
export const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));

/** Texts of every size class: single SMS, around the first boundaries, long concatenated ones. */
export function smsText(unit: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit, maxLength: 80 }),
    fc.string({ unit, minLength: 60, maxLength: 170 }),
    fc.string({ unit, minLength: 140, maxLength: 340 }),
    fc.string({ unit, minLength: 300, maxLength: 1200 }),
  );
}

/** GSM-only texts (basic and extension characters). */
export const gsmText = smsText(
  fc.oneof(
    { weight: 8, arbitrary: pick([...GSM_ASCII, ...GSM_NON_ASCII]) },
    { weight: 2, arbitrary: pick([...GSM_EXTENSION]) },
  ),
);

/**
 * Mixed realistic texts: half all-GSM (one foreign character anywhere turns a long text into
 * UCS-2, so without this GSM multi-part texts would be rare), half drawn from every class.
 */
export const mixedText = fc.oneof(gsmText, smsText(smsChar));

/** Texts that may hold anything a string can, lone surrogates and controls included. */
export const anyText = fc.oneof(
  gsmText,
  smsText(fc.oneof({ weight: 3, arbitrary: smsChar }, { weight: 1, arbitrary: anyCodeUnit })),
);
