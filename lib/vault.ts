// The vault: one Secrets Manager secret per integration, addressed by its stable name; every write is a new immutable, idempotent version.
import { createHash } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/** The origins a secret may be sent to: those it was validated with (activities/secretBinding.ts). */
export interface SecretBinding {
  origins: string[];
}

/**
 * Everything confidential about one integration. Lives in Secrets Manager and, as ciphertext, in the token store.
 * Extend by adding fields: both homes store the whole object as JSON.
 */
export interface StoredSecret {
  clientSecret: string | null;
  accessToken: string | null;
  refreshToken: string | null;
  tokenType: string | null;
  expiresAt: string | null;
  scope: string | null;
  /** Origin of the token endpoint these tokens came from: tokens are never sent to another origin. */
  tokenOrigin: string | null;
  /** RFC 9449: the integration's DPoP key pair (ES256, private JWK), when its tokens are sender-constrained. */
  dpopKey?: JsonWebKey | null;
  /** Absent on records written before bindings existed (see bindingOf). */
  binding?: SecretBinding;
  generation: number;
}

export interface SecretVersion {
  arn: string;
  versionId: string;
  value: StoredSecret;
}

/** The name inside a secret ARN (`arn:…:secret:NAME-AbCdEf`), or the id itself when it is a name. */
export function secretNameOf(secretId: string): string {
  const m = secretId.match(/^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)-[A-Za-z0-9]{6}$/);
  return m ? m[1]! : secretId;
}

export function createSecretsManager(aws: { region: string; secretsManagerEndpoint?: string }): SecretsManagerClient {
  return new SecretsManagerClient({ region: aws.region, endpoint: aws.secretsManagerEndpoint, maxAttempts: 3 });
}

/** A deterministic ClientRequestToken: retrying the same write of the same generation is a no-op. */
export function versionToken(integrationId: string, generation: number): string {
  const h = createHash('sha256').update(`${integrationId}:${generation}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export class Vault {
  constructor(
    private readonly sm: SecretsManagerClient,
    private readonly prefix: string,
  ) {}

  /** The stable address: an ARN changes when a secret is recreated, the name does not. */
  nameFor(integrationId: string): string {
    return `${this.prefix}${integrationId}`;
  }

  integrationIdOf(name: string): string | null {
    return name.startsWith(this.prefix) ? name.slice(this.prefix.length) : null;
  }

  /** The current version (or a given one); null when the secret does not exist. An ARN is read by its name. */
  async read(secretId: string, versionId?: string): Promise<SecretVersion | null> {
    try {
      const out = await this.sm.send(new GetSecretValueCommand({ SecretId: secretNameOf(secretId), VersionId: versionId }));
      return { arn: out.ARN!, versionId: out.VersionId!, value: JSON.parse(out.SecretString ?? '{}') as StoredSecret };
    } catch (err) {
      if (err instanceof ResourceNotFoundException) return null;
      throw err;
    }
  }

  /** Stores `value` as the new current version: creates the secret when it does not exist, adds a version after. */
  async write(integrationId: string, value: StoredSecret, opts: { exists: boolean }): Promise<{ arn: string; versionId: string }> {
    const ClientRequestToken = versionToken(integrationId, value.generation);
    const SecretString = JSON.stringify(value);
    if (!opts.exists) {
      try {
        const out = await this.sm.send(
          new CreateSecretCommand({ Name: this.nameFor(integrationId), SecretString, ClientRequestToken, Description: 'Steward integration credentials' }),
        );
        return { arn: out.ARN!, versionId: out.VersionId! };
      } catch (err) {
        if (!(err instanceof ResourceExistsException)) throw err;
        // An earlier attempt created it: fall through and add our version to it.
      }
    }
    const out = await this.sm.send(
      new PutSecretValueCommand({ SecretId: this.nameFor(integrationId), SecretString, ClientRequestToken }),
    );
    return { arn: out.ARN!, versionId: out.VersionId! };
  }

  /** Deletes at once, without the recovery window: a revoked credential must not linger. */
  async delete(secretId: string): Promise<void> {
    try {
      await this.sm.send(new DeleteSecretCommand({ SecretId: secretNameOf(secretId), ForceDeleteWithoutRecovery: true }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }

  async ping(): Promise<void> {
    await this.sm.send(new ListSecretsCommand({ MaxResults: 1 }));
  }
}
