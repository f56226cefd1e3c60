// The fixed, test-only codec key of the recorded workflow histories in test/histories/: replay must decrypt them.
// Never a production key: the fixtures it opens hold only demo-provider values (fixture client secrets, no real token).
import type { CodecKey } from '../../lib/codec';

/** STEWARD_CODEC_KEY format ("id:base64(32 bytes)"); the recorder boots its stack with it. */
export const FIXTURE_CODEC_KEY = 'replay-fixtures:8z4ICodayYeYgK5x/js/FWO9nHBhw3K8K4nd3TrLAjY=';

/** The demo client's secret in the recorded histories (a fixed fixture value, so recordings never carry a generated one). */
export const FIXTURE_DEMO_CLIENT_SECRET = 'fixture-demo-client-secret-not-a-real-one';

export function fixtureCodecKeys(): CodecKey[] {
  const [id, b64] = FIXTURE_CODEC_KEY.split(':');
  return [{ id: id!, key: Buffer.from(b64!, 'base64') }];
}
