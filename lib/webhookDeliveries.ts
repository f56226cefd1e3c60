// The recent delivery attempts of each webhook subscription (no body, no secret): what the console's Webhooks page lists.
import { Schema, type Connection, type Model } from 'mongoose';
import type { AttemptOutcome } from '../workflows/messages';

export interface DeliveryAttempt {
  subscriptionId: string;
  noticeId: string;
  noticeType: string;
  attempt: number;
  outcome: AttemptOutcome;
  /** The receiver's HTTP status; null when it did not answer. */
  status: number | null;
  detail: string;
  at: Date;
  /** When the delivery workflow will try again, about (its jitter is ±25%); null when accepted or gone. */
  nextRetryAround: Date | null;
}

const attemptSchema = new Schema<DeliveryAttempt>(
  {
    subscriptionId: { type: String, required: true },
    noticeId: String,
    noticeType: String,
    attempt: Number,
    outcome: String,
    status: { type: Number, default: null },
    detail: String,
    at: { type: Date, required: true },
    nextRetryAround: { type: Date, default: null },
  },
  { versionKey: false, collection: 'webhook_deliveries' },
);
attemptSchema.index({ subscriptionId: 1, at: -1 });

/** Attempts kept per subscription: enough to see a retry run, bounded whatever the notice rate. */
const KEEP = 200;

export class DeliveryLog {
  private readonly attempts: Model<DeliveryAttempt>;

  constructor(conn: Connection) {
    this.attempts = (conn.models.WebhookDeliveryAttempt ?? conn.model('WebhookDeliveryAttempt', attemptSchema)) as Model<DeliveryAttempt>;
  }

  async record(attempt: DeliveryAttempt): Promise<void> {
    await this.attempts.create(attempt);
    // Now and then, drop what falls beyond the newest KEEP (cheap: one indexed read at the boundary).
    if (attempt.attempt % 20 === 1) {
      const boundary = await this.attempts.findOne({ subscriptionId: attempt.subscriptionId }, { at: 1 }).sort({ at: -1 }).skip(KEEP).lean();
      if (boundary) await this.attempts.deleteMany({ subscriptionId: attempt.subscriptionId, at: { $lte: boundary.at } });
    }
  }

  async recent(subscriptionId: string, limit: number): Promise<DeliveryAttempt[]> {
    return this.attempts.find({ subscriptionId }, { _id: 0 }).sort({ at: -1 }).limit(limit).lean();
  }

  async forget(subscriptionId: string): Promise<void> {
    await this.attempts.deleteMany({ subscriptionId });
  }
}
