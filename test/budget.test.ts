// Pure rules of the vault layer, in milliseconds: the write budget over 48 h, AWS's quota ledger, envelope encryption.
import { randomBytes } from 'node:crypto';
import { LocalKeyRing, seal, unseal } from '../lib/envelope';
import { DAY_MS, DEFAULT_WRITE_BUDGET, mayWriteVersion } from '../lib/writeBudget';
import { SM_LIMITS, SmQuotaLedger } from '../scripts/smQuota';

describe('write budget', () => {
  /** Writes an integration refreshing every `everyMs` would make in `spanMs` when it asks before each refresh. */
  function simulate(everyMs: number, spanMs: number, urgentEvery = 0): number[] {
    const writes: number[] = [];
    for (let t = 0, n = 0; t < spanMs; t += everyMs, n++) {
      if (mayWriteVersion(writes, t, urgentEvery > 0 && n % urgentEvery === 0)) writes.push(t);
    }
    return writes;
  }
  const maxIn24h = (writes: number[]) => Math.max(...writes.map((start) => writes.filter((t) => t >= start && t < start + DAY_MS).length));

  test.each([
    ['2.5 min (5-minute tokens)', 150_000],
    ['10 min (15-minute tokens)', 600_000],
    ['55 min (one-hour tokens)', 3_300_000],
  ])('refreshing every %s over 48 h never exceeds 96 versions in any 24 h, and averages ≤ 1 per 15 min', (_, everyMs) => {
    const writes = simulate(everyMs, 2 * DAY_MS);
    expect(maxIn24h(writes)).toBeLessThanOrEqual(DEFAULT_WRITE_BUDGET.maxPerDay);
    expect(writes.length / 2).toBeLessThanOrEqual(DAY_MS / DEFAULT_WRITE_BUDGET.minSpacingMs);
  });

  test('urgent writes skip the spacing but never the cap', () => {
    expect(mayWriteVersion([0], 60_000, true)).toBe(true);
    expect(mayWriteVersion([0], 60_000, false)).toBe(false);
    const full = Array.from({ length: 96 }, (_, i) => i * 60_000);
    expect(mayWriteVersion(full, 96 * 60_000, true)).toBe(false);
    expect(mayWriteVersion(full, DAY_MS + 1, true)).toBe(true); // the oldest has left the window
    expect(maxIn24h(simulate(30_000, 2 * DAY_MS, 1))).toBeLessThanOrEqual(96);
  });
});

describe('Secrets Manager quota ledger', () => {
  const put = (secret: string, token: string, valueBytes = 10) => ({ operation: 'PutSecretValue', secret, clientRequestToken: token, valueBytes });

  test('100 versions per secret in 24 h, idempotent retries free, the window slides', () => {
    let now = 0;
    const ledger = new SmQuotaLedger(() => now);
    for (let i = 0; i < SM_LIMITS.versionsPer24h; i++) {
      now += 1000; // stay under the rate limit
      expect(ledger.admit(put('a', `t${i}`))).toBeNull();
    }
    now += 1000;
    expect(ledger.admit(put('a', 'extra'))?.type).toBe('LimitExceededException');
    expect(ledger.admit(put('a', 't5'))).toBeNull();
    expect(ledger.admit(put('b', 'x'))).toBeNull(); // per secret
    now = 1000 + DAY_MS;
    expect(ledger.admit(put('a', 'extra'))).toBeNull();
  });

  test('50 writes per second per API group; reads are not limited; values over 64 KiB are refused', () => {
    const ledger = new SmQuotaLedger(() => 5_000);
    for (let i = 0; i < 50; i++) expect(ledger.admit({ operation: 'UpdateSecret', secret: `s${i}`, clientRequestToken: null, valueBytes: null })).toBeNull();
    expect(ledger.admit(put('s', 'x'))?.type).toBe('ThrottlingException'); // PutSecretValue shares UpdateSecret's group
    expect(ledger.admit({ operation: 'CreateSecret', secret: 'new', clientRequestToken: 'c', valueBytes: 1 })).toBeNull(); // its own group
    expect(ledger.admit({ operation: 'GetSecretValue', secret: 's', clientRequestToken: null, valueBytes: null })).toBeNull();
    expect(new SmQuotaLedger().admit(put('s', 'big', 65_537))?.type).toBe('ValidationException');
  });
});

describe('envelope encryption', () => {
  const ring = () => new LocalKeyRing([{ id: 'k2', key: randomBytes(32) }]);

  test('round-trips, with a fresh data key per record and nothing of the plaintext in the sealed form', async () => {
    const keys = ring();
    const plain = Buffer.from('access-token-value-123');
    const a = await seal(keys, plain, 'int_1:4');
    const b = await seal(keys, plain, 'int_1:4');
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
    expect(a.data.includes(plain)).toBe(false);
    expect((await unseal(keys, a, 'int_1:4')).equals(plain)).toBe(true);
  });

  test('refuses another context (a record copied under another id), another key ring, or an unknown key id', async () => {
    const keys = ring();
    const sealed = await seal(keys, Buffer.from('x'), 'int_1:4');
    await expect(unseal(keys, sealed, 'int_2:4')).rejects.toThrow();
    await expect(unseal(ring(), sealed, 'int_1:4')).rejects.toThrow();
    await expect(unseal(keys, { ...sealed, keyId: 'gone' }, 'int_1:4')).rejects.toThrow(/unknown key id "gone"/);
  });

  test('the first key wraps, older keys still unwrap (rotation)', async () => {
    const old = { id: 'k1', key: randomBytes(32) };
    const sealed = await seal(new LocalKeyRing([old]), Buffer.from('y'), 'c');
    const rotated = new LocalKeyRing([{ id: 'k2', key: randomBytes(32) }, old]);
    expect((await unseal(rotated, sealed, 'c')).toString()).toBe('y');
    expect((await seal(rotated, Buffer.from('z'), 'c')).keyId).toBe('k2');
  });
});
