import { bearerToken, MAX_TOKEN_LENGTH } from './bearer-token';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';

describe('bearerToken', () => {
  it('returns the token of a well-formed header, whatever the scheme case', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer ${TOKEN}`)).toBe(TOKEN);
  });

  it.each([
    ['missing', undefined],
    ['another scheme', `Basic ${TOKEN}`],
    ['no token', 'Bearer '],
    ['two parts', 'Bearer abc.def'],
    ['junk characters', 'Bearer a$c.def.ghi'],
    ['trailing words', `Bearer ${TOKEN} extra`],
    ['repeated header', [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]],
    ['too long', `Bearer ${'a'.repeat(MAX_TOKEN_LENGTH)}.b.c`],
  ])('refuses %s', (_case, header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});
