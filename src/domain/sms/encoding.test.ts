import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { DATA_CODING, chooseEncoding, type RequestedEncoding } from './encoding.js';

test('auto picks GSM-7 when every character fits, UCS-2 otherwise, and names the culprits', () => {
  assert.deepEqual(chooseEncoding('Grüße aus Köln, 5€ {ok}'), { encoding: 'gsm7', unencodable: [] });
  assert.deepEqual(chooseEncoding(''), { encoding: 'gsm7', unencodable: [] });
  assert.deepEqual(chooseEncoding('Hi 😀'), { encoding: 'ucs2', unencodable: [{ char: '😀', index: 3 }] });
  assert.deepEqual(chooseEncoding('Zażółć'), {
    encoding: 'ucs2',
    unencodable: [
      { char: 'ż', index: 2 },
      { char: 'ó', index: 3 },
      { char: 'ł', index: 4 },
      { char: 'ć', index: 5 },
    ],
  });
  assert.equal(DATA_CODING.gsm7, 0x00);
  assert.equal(DATA_CODING.ucs2, 0x08);
});

test('forced UCS-2 takes anything; forced GSM-7 fails with the full list of characters', () => {
  assert.deepEqual(chooseEncoding('plain', 'ucs2'), { encoding: 'ucs2', unencodable: [] });
  assert.deepEqual(chooseEncoding('plain', 'gsm7'), { encoding: 'gsm7', unencodable: [] });
  assert.throws(
    () => chooseEncoding('Olá 😀 — ok', 'gsm7'),
    (e: unknown) => {
      assert.ok(e instanceof DomainError);
      assert.equal(e.code, 'SMS_UNENCODABLE');
      assert.deepEqual(e.details, {
        unencodable: [
          { char: 'á', index: 2 },
          { char: '😀', index: 4 },
          { char: '—', index: 7 },
        ],
      });
      assert.match(e.message, /3 character\(s\)/);
      return true;
    },
  );
});

test('an unknown encoding name is a validation error', () => {
  assert.throws(
    () => chooseEncoding('x', 'latin1' as RequestedEncoding),
    (e: unknown) => e instanceof DomainError && e.code === 'VALIDATION_FAILED',
  );
});
