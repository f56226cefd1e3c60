// Payload codec: AES-256-GCM over every Temporal payload, key id in metadata, so history holds only ciphertext.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { RefusedPayload } from '../workflows/messages';

const { temporal } = proto; // CommonJS package: named exports are not visible to ESM

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Decoding fails closed: a payload that is not Steward's ciphertext is never passed on. Throwing would fail the
 * workflow task over and over (a plaintext signal stays in history), so the payload is replaced by a value no Steward
 * input, message or activity result accepts (workflows/messages.ts): the workflow refuses it and carries on.
 */
function refused(reason: RefusedPayload['refused'], detail: string): Payload {
  const value: RefusedPayload = { refused: reason, detail };
  return { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) };
}

export interface CodecKey {
  id: string;
  key: Buffer;
}

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  /** The first key encrypts; every key decrypts, so keys can be rotated without losing old histories. */
  constructor(private readonly keys: CodecKey[]) {
    if (keys.length === 0) throw new Error('EncryptionCodec needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0];
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), 'encryption-key-id': Buffer.from(id) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCRYPTED_ENCODING) {
        return refused('unencrypted', 'unencrypted payload: only Steward (the holder of the codec key) may start, signal or update its workflows');
      }
      const keyId = Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
      const key = this.byId.get(keyId);
      if (!key) return refused('unknown-key', `payload encrypted with unknown key id "${keyId.slice(0, 64)}"`);
      try {
        const data = Buffer.from(payload.data ?? []);
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        return temporal.api.common.v1.Payload.decode(plain) as Payload;
      } catch {
        return refused('undecryptable', 'payload does not decrypt with Steward\'s key (forged or damaged)');
      }
    });
  }
}
