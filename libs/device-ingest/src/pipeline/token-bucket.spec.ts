import { TokenBucket } from './token-bucket';

describe(TokenBucket.name, () => {
  it('lets a one-second burst through at once, then holds writes to the configured rate', async () => {
    const sut = new TokenBucket(20);
    const started = Date.now();
    for (let i = 0; i < 20; i++) await sut.take(1);
    const burst = Date.now() - started;
    for (let i = 0; i < 10; i++) await sut.take(1);
    const total = Date.now() - started;

    expect(burst).toBeLessThan(100);
    expect(total).toBeGreaterThanOrEqual(450);
  });
});
