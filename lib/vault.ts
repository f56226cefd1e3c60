// The vault: one Secrets Manager secret per integration; every write is a new immutable, idempotent version.
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

/** Everything confidential about one integration. Lives only here. */
export interface StoredSecret {
  clientSecret: string | null;
  accessToken: string | null;
  refreshToken: string | null;
  tokenType: string | null;
  expiresAt: string | null;
  scope: string | null;
  /** Origin of the token endpoint these tokens came from: tokens are never sent to another origin. */
  tokenOrigin: string | null;
  /** Absent on records written before bindings existed (see bindingOf). */
  binding?: SecretBinding;
  generation: number;
}

export interface SecretVersion {
  arn: string;
  versionId: string;
  value: StoredSecret;
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

  nameFor(integrationId: string): string {
    return `${this.prefix}${integrationId}`;
  }

  /** The current version (or a given one); null when the secret does not exist. */
  async read(secretId: string, versionId?: string): Promise<SecretVersion | null> {
    try {
      const out = await this.sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionId: versionId }));
      return { arn: out.ARN!, versionId: out.VersionId!, value: JSON.parse(out.SecretString ?? '{}') as StoredSecret };
    } catch (err) {
      if (err instanceof ResourceNotFoundException) return null;
      throw err;
    }
  }

  /** Stores `value` as the new current version: creates the secret on first write, adds a version after. */
  async write(integrationId: string, existingArn: string | null, value: StoredSecret): Promise<{ arn: string; versionId: string }> {
    const ClientRequestToken = versionToken(integrationId, value.generation);
    const SecretString = JSON.stringify(value);
    if (!existingArn) {
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
      new PutSecretValueCommand({ SecretId: existingArn ?? this.nameFor(integrationId), SecretString, ClientRequestToken }),
    );
    return { arn: out.ARN!, versionId: out.VersionId! };
  }

  /** Deletes at once, without the recovery window: a revoked credential must not linger. */
  async delete(secretId: string): Promise<void> {
    try {
      await this.sm.send(new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }

  async ping(): Promise<void> {
    await this.sm.send(new ListSecretsCommand({ MaxResults: 1 }));
  }
}
