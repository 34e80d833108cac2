/**
 * A key pair the emulator accepts. With `sessionToken`, requests must carry that token in
 * `X-Amz-Security-Token`; with `expiresAt`, requests signed after that instant (by the emulator's auth
 * clock) are rejected with `ExpiredTokenException`.
 */
export interface EmulatorCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiresAt?: Date | undefined;
  /** Reported as `CreatedByIamUser` for resources this key creates. Default `arn:aws:iam::123456789012:user/aml-emulator`. */
  readonly userArn?: string | undefined;
}

/**
 * The emulator's documented default test key pair (not a real AWS key, and not the AWS documentation
 * example key). Use it to point any AWS client at an emulator started without `credentials`.
 */
export const DEFAULT_EMULATOR_CREDENTIALS: Readonly<{ accessKeyId: string; secretAccessKey: string }> =
  Object.freeze({
    accessKeyId: 'AKIAEMULATOR00000000',
    secretAccessKey: 'amlEmulatorTestSecretKey0000000000000000',
  });

/** `CreatedByIamUser` of resources created by a credential without `userArn`. */
export const DEFAULT_USER_ARN = 'arn:aws:iam::123456789012:user/aml-emulator';
