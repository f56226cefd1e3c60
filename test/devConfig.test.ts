// `npm run dev` reads its environment through lib/config: the demo provider's token lifetime and test controls reach the stack.
import { devStackOptions } from '../scripts/devOptions';

test('DEMO_ACCESS_TOKEN_TTL, DEMO_REFRESH_TOKEN_TTL and DEMO_TEST_CONTROLS reach the demo provider the dev stack starts', () => {
  const options = devStackOptions({ DEMO_ACCESS_TOKEN_TTL: '180', DEMO_REFRESH_TOKEN_TTL: '900', DEMO_TEST_CONTROLS: '1', DEMO_PROVIDER_PORT: '4100' });
  expect(options).toMatchObject({ providerTokenTtlSeconds: 180, providerRefreshTokenTtlSeconds: 900, providerTestControls: true, ports: { provider: 4100, api: 3000 } });
});

test('defaults: hour-long tokens, no test controls, the documented ports', () => {
  expect(devStackOptions({})).toMatchObject({
    providerTokenTtlSeconds: 3600,
    providerTestControls: false,
    ports: { api: 3000, temporal: 7233, temporalUi: 8233, mongo: 27017, moto: 4566, provider: 4000 },
  });
});

test('a bad value fails before anything starts, naming the variable', () => {
  expect(() => devStackOptions({ DEMO_ACCESS_TOKEN_TTL: 'soon' })).toThrow(/DEMO_ACCESS_TOKEN_TTL/);
  expect(() => devStackOptions({ DEMO_TEST_CONTROLS: 'maybe' })).toThrow(/DEMO_TEST_CONTROLS/);
  expect(() => devStackOptions({ DEV_MOTO_PORT: '70000' })).toThrow(/DEV_MOTO_PORT/);
});
