import { randomBytes } from 'node:crypto';
import { CredentialCipher } from './credential-cipher';

describe(CredentialCipher.name, () => {
  const cipher = new CredentialCipher(randomBytes(32));

  it('opens what it sealed, and the sealed form does not contain the plaintext', () => {
    const sealed = cipher.seal('{"uploadAuth":"secret-credential"}', 'credential:a');

    expect(sealed).not.toContain('secret-credential');
    expect(cipher.open(sealed, 'credential:a')).toBe('{"uploadAuth":"secret-credential"}');
  });

  it('refuses a ciphertext moved under another key', () => {
    const sealed = cipher.seal('payload', 'credential:a');

    expect(() => cipher.open(sealed, 'credential:b')).toThrow();
  });

  it('refuses a tampered ciphertext and one sealed with another key', () => {
    const sealed = Buffer.from(cipher.seal('payload', 'k'), 'base64');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;

    expect(() => cipher.open(sealed.toString('base64'), 'k')).toThrow();
    expect(() => new CredentialCipher(randomBytes(32)).open(cipher.seal('p', 'k'), 'k')).toThrow();
  });

  it('refuses a key that is not 256 bits', () => {
    expect(() => new CredentialCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
