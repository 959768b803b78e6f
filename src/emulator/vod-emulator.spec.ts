import { maxInWindow } from './vod-emulator';

describe('maxInWindow', () => {
  it('counts the most timestamps in any half-open window', () => {
    expect(maxInWindow([0, 100, 999, 1000, 1500, 1999], 1000)).toBe(3);
    expect(maxInWindow([5, 1, 3], 1000)).toBe(3);
    expect(maxInWindow([], 1000)).toBe(0);
  });
});
