/**
 * AWS credentials, shaped like `@smithy/types`' `AwsCredentialIdentity` so that any AWS SDK v3
 * credential provider's result fits. Only `accessKeyId`, `secretAccessKey`, `sessionToken` and
 * `expiration` are used.
 */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  /** When the credentials stop working; a provider's result is cached until 5 minutes before it. */
  readonly expiration?: Date | undefined;
  readonly credentialScope?: string | undefined;
  readonly accountId?: string | undefined;
}

/**
 * An async function returning credentials, shaped like `@smithy/types`'
 * `AwsCredentialIdentityProvider`: `fromNodeProviderChain()`, `fromIni()`, `fromSSO()`… from
 * `@aws-sdk/credential-providers` can be passed as is (this package does not depend on it).
 */
export type AwsCredentialIdentityProvider = (
  identityProperties?: Record<string, unknown>,
) => Promise<AwsCredentialIdentity>;
