import { describe, expect, it } from 'vitest';
import { sha256 } from '../../lambdas/core/hash';

describe('sha256()', () => {
  // FIPS 180-2 test vectors.
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('hashes %j to the standard digest', (text, digest) => {
    expect(sha256(text)).toBe(digest);
  });

  it('hashes a text as its UTF-8 bytes', () => {
    const text = '循环神经网络 — “RNN”';
    expect(sha256(text)).toBe(sha256(new TextEncoder().encode(text)));
    expect(sha256(text)).toMatch(/^[0-9a-f]{64}$/);
  });
});
