import { uploadAuthExpiry } from './upload-credential';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const ISSUED = new Date('2026-11-21T10:00:00Z');

describe('uploadAuthExpiry', () => {
  it('reads ExpireUTCTime', () => {
    const auth = encode({ ExpireUTCTime: '2026-11-21T11:00:00Z', Expiration: '3600' });

    expect(uploadAuthExpiry(auth, ISSUED)?.toISOString()).toBe('2026-11-21T11:00:00.000Z');
  });

  it('falls back to Expiration seconds after issue', () => {
    expect(uploadAuthExpiry(encode({ Expiration: '1800' }), ISSUED)?.toISOString()).toBe(
      '2026-11-21T10:30:00.000Z',
    );
  });

  it('ignores an ExpireUTCTime without a time zone', () => {
    expect(
      uploadAuthExpiry(
        encode({ ExpireUTCTime: '2026-11-21T11:00:00', Expiration: '60' }),
        ISSUED,
      )?.toISOString(),
    ).toBe('2026-11-21T10:01:00.000Z');
  });

  it('returns undefined for something that is not Base64 JSON', () => {
    expect(uploadAuthExpiry('not base64 json', ISSUED)).toBeUndefined();
    expect(uploadAuthExpiry(encode({ Expiration: 'soon' }), ISSUED)).toBeUndefined();
  });
});
