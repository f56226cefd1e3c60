// Connects to Temporal with Steward's data converter (encryption codec, encoded failures) for the api and tests.
import { Client, Connection } from '@temporalio/client';
import { EncryptionCodec, type CodecKey } from './codec';
import { failureConverter } from './failureConverter';

export function dataConverter(codecKeys: CodecKey[]) {
  return { payloadCodecs: [new EncryptionCodec(codecKeys)], failureConverter };
}

export async function connectClient(opts: { address: string; namespace: string; codecKeys: CodecKey[] }): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address: opts.address });
  return { connection, client: new Client({ connection, namespace: opts.namespace, dataConverter: dataConverter(opts.codecKeys) }) };
}
