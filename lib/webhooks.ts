// Webhook subscriptions: the MongoDB store (no secrets), their signing secrets in Secrets Manager, and the signature scheme.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { Schema, type Connection, type Model } from 'mongoose';

export interface Subscription {
  id: string;
  url: string;
  description: string | null;
  /** Where the signing secret lives; the secret itself is never in MongoDB. */
  secretArn: string;
  createdAt: Date;
  createdBy: string;
}

const subscriptionSchema = new Schema(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    description: { type: String, default: null },
    secretArn: { type: String, required: true },
    createdBy: { type: String, required: true },
  },
  { versionKey: false, timestamps: { createdAt: true, updatedAt: false }, collection: 'webhook_subscriptions' },
);

function toSubscription(doc: Record<string, unknown>): Subscription {
  const { _id, ...rest } = doc;
  return { id: _id as string, ...(rest as Omit<Subscription, 'id'>) };
}

export class WebhookStore {
  private readonly subscriptions: Model<Record<string, unknown>>;

  constructor(conn: Connection) {
    this.subscriptions = (conn.models.WebhookSubscription ?? conn.model('WebhookSubscription', subscriptionSchema)) as unknown as Model<Record<string, unknown>>;
  }

  async create(sub: Omit<Subscription, 'createdAt'>): Promise<Subscription> {
    const { id, ...rest } = sub;
    const doc = await this.subscriptions.create({ _id: id, ...rest });
    return toSubscription(doc.toObject() as Record<string, unknown>);
  }

  /** Subscriptions a principal created (capped per principal). */
  async countBy(createdBy: string): Promise<number> {
    return this.subscriptions.countDocuments({ createdBy });
  }

  async list(): Promise<Subscription[]> {
    const docs = await this.subscriptions.find({}).sort({ createdAt: 1 }).limit(1000).lean();
    return docs.map((d) => toSubscription(d as Record<string, unknown>));
  }

  async find(id: string): Promise<Subscription | null> {
    const doc = await this.subscriptions.findById(id).lean();
    return doc ? toSubscription(doc as Record<string, unknown>) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.subscriptions.deleteOne({ _id: id })).deletedCount > 0;
  }
}

/** Signing secrets, one Secrets Manager secret per subscription. They never change, so reads are cached by ARN. */
export class SigningSecrets {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly sm: SecretsManagerClient,
    private readonly prefix: string,
  ) {}

  async create(subscriptionId: string): Promise<{ arn: string; secret: string }> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const out = await this.sm.send(
      new CreateSecretCommand({ Name: `${this.prefix}${subscriptionId}`, SecretString: JSON.stringify({ signingSecret: secret }), Description: 'Steward webhook signing secret' }),
    );
    return { arn: out.ARN!, secret };
  }

  /** The signing secret, or null once it is deleted. */
  async read(arn: string): Promise<string | null> {
    const hit = this.cache.get(arn);
    if (hit) return hit;
    try {
      const out = await this.sm.send(new GetSecretValueCommand({ SecretId: arn }));
      const secret = (JSON.parse(out.SecretString ?? '{}') as { signingSecret?: string }).signingSecret ?? null;
      if (secret) this.cache.set(arn, secret);
      return secret;
    } catch (err) {
      if (err instanceof ResourceNotFoundException) return null;
      throw err;
    }
  }

  async delete(arn: string): Promise<void> {
    this.cache.delete(arn);
    try {
      await this.sm.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}

export const SIGNATURE_HEADER = 'Steward-Signature';

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the signing secret>`. */
export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/** What a receiver does (README shows the same in a few lines): recompute, compare in constant time, bound the age. */
export function verifySignature(header: string, body: string, secret: string, opts: { toleranceSeconds?: number; now?: number } = {}): boolean {
  const parts = new Map(header.split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  if (!Number.isInteger(timestamp) || given.length !== 32) return false;
  const nowSeconds = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  return timingSafeEqual(given, Buffer.from(hmac(secret, timestamp, body), 'hex'));
}
