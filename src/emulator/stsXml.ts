const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Escapes text for an XML element. */
function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What an STS `AssumeRole…` answer carries. */
interface StsCredentialsAnswer {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiresAtMs: number;
  readonly assumedRoleArn: string;
  readonly requestId: string;
}

/**
 * The XML body of a successful `AssumeRole` or `AssumeRoleWithWebIdentity` (STS's query protocol), as the
 * AWS SDK's STS client parses it.
 */
export function stsCredentialsXml(action: string, answer: StsCredentialsAnswer): string {
  const roleId = `AROAEMULATOR${answer.accessKeyId.slice(4, 12)}:${answer.assumedRoleArn.split('/').pop() ?? ''}`;
  const webIdentity =
    action === 'AssumeRoleWithWebIdentity'
      ? '<SubjectFromWebIdentityToken>system:serviceaccount:default:aml-waiter</SubjectFromWebIdentityToken>' +
        '<Audience>sts.amazonaws.com</Audience><Provider>oidc.aml-emulator.invalid</Provider>'
      : '';
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}"><${action}Result>${webIdentity}` +
    `<Credentials><AccessKeyId>${answer.accessKeyId}</AccessKeyId>` +
    `<SecretAccessKey>${xmlText(answer.secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${xmlText(answer.sessionToken)}</SessionToken>` +
    `<Expiration>${new Date(answer.expiresAtMs).toISOString()}</Expiration></Credentials>` +
    `<AssumedRoleUser><AssumedRoleId>${xmlText(roleId)}</AssumedRoleId><Arn>${xmlText(answer.assumedRoleArn)}</Arn></AssumedRoleUser>` +
    `</${action}Result><ResponseMetadata><RequestId>${answer.requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** STS's XML error body (`<ErrorResponse>`), as its query protocol sends it. */
export function stsErrorXml(code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>${xmlText(code)}</Code>` +
    `<Message>${xmlText(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
