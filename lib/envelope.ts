// Envelope encryption: a fresh AES-256-GCM data key per record, wrapped by a key-encryption key (local key ring now, KMS later).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Wraps and unwraps data keys. A KMS-backed wrapper implements the same two calls (Encrypt/Decrypt with a context). */
export interface KeyWrapper {
  wrap(dataKey: Buffer, context: string): Promise<{ keyId: string; wrapped: Buffer }>;
  unwrap(keyId: string, wrapped: Buffer, context: string): Promise<Buffer>;
}

export interface Sealed {
  keyId: string;
  wrappedKey: Buffer;
  data: Buffer;
}

function encrypt(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/** Key-encryption keys from configuration: the first wraps, all unwrap (rotation without re-encrypting old records). */
export class LocalKeyRing implements KeyWrapper {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: { id: string; key: Buffer }[]) {
    if (keys.length === 0) throw new Error('LocalKeyRing needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async wrap(dataKey: Buffer, context: string) {
    const { id, key } = this.keys[0]!;
    return { keyId: id, wrapped: encrypt(key, dataKey, `wrap:${context}`) };
  }

  async unwrap(keyId: string, wrapped: Buffer, context: string) {
    const key = this.byId.get(keyId);
    if (!key) throw new Error(`token store record wrapped with unknown key id "${keyId}"`);
    return decrypt(key, wrapped, `wrap:${context}`);
  }
}

/** `context` is bound into both layers: a record copied under another id does not decrypt. */
export async function seal(wrapper: KeyWrapper, plain: Buffer, context: string): Promise<Sealed> {
  const dataKey = randomBytes(32);
  try {
    const { keyId, wrapped } = await wrapper.wrap(dataKey, context);
    return { keyId, wrappedKey: wrapped, data: encrypt(dataKey, plain, context) };
  } finally {
    dataKey.fill(0);
  }
}

export async function unseal(wrapper: KeyWrapper, sealed: Sealed, context: string): Promise<Buffer> {
  const dataKey = await wrapper.unwrap(sealed.keyId, sealed.wrappedKey, context);
  try {
    return decrypt(dataKey, sealed.data, context);
  } finally {
    dataKey.fill(0);
  }
}
