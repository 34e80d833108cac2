import { release } from 'node:os';
import { packageVersion } from './packageVersion.js';

/** Characters the AWS SDKs allow in a User-Agent token; others become `-` (as the SDK escapes them). */
const UNSAFE = /[^!$%&'*+\-.^_`|~\w#]/g;
/** The AWS SDKs' limit on `sdk_ua_app_id` / `AWS_SDK_UA_APP_ID`. */
export const MAX_APP_ID_LENGTH = 50;

/**
 * The `User-Agent` every request carries, in the AWS SDKs' format so that CloudTrail and service logs can
 * tell who called: `aml-waiter/<version> ua/2.1 os/<platform>#<release> lang/js md/nodejs#<version>`, plus
 * `app/<id>` from `AWS_SDK_UA_APP_ID` or the profile's `sdk_ua_app_id` (at most 50 characters).
 */
export function userAgent(appId: string | undefined): string {
  const parts = [
    `aml-waiter/${packageVersion()}`,
    'ua/2.1',
    `os/${process.platform}#${release().replace(UNSAFE, '-')}`,
    'lang/js',
    `md/nodejs#${process.versions.node}`,
  ];
  if (appId !== undefined && appId !== '') parts.push(`app/${appId.replace(UNSAFE, '-')}`);
  return parts.join(' ');
}
