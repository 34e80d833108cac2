import { DURATION_HINT } from './parseDuration.js';

/** The one-line synopsis printed with every usage error. */
export const USAGE_LINE = 'Usage: aml-wait [options] <id...>';

/** The full `--help` text (printed to stdout, exit 0). */
export function helpText(version: string): string {
  return `aml-wait ${version}: wait for Amazon Machine Learning resources to finish.

${USAGE_LINE}

Waits for every <id> at once, through one client, and exits by the outcome. Progress goes to
stderr (a live line per id on a terminal, one plain line per status change otherwise); the final
resources go to stdout (a table, or JSON lines with --json).

Options:
  -k, --kind <kind>       batch-prediction (default), data-source, ml-model or evaluation
  -t, --timeout <dur>     give up after this long (default 7d, the service's job runtime limit)
      --min-delay <dur>   first and shortest delay between polls (default 2s)
      --max-delay <dur>   longest delay between polls (default 2m)
      --region <name>     AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
      --profile <name>    shared config/credentials profile (else AWS_PROFILE)
      --endpoint <url>    service endpoint (else AWS_ENDPOINT_URL_MACHINE_LEARNING, AWS_ENDPOINT_URL, profile)
      --json              one JSON object per line on stdout: every wait event, then one
                          {"type":"result",...} per id; no progress on stderr
  -q, --quiet             no progress and no table (with --json: only the result lines)
      --once              one request per id: print the current status and exit by it
      --color, --no-color force colours on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help              print this help and exit
  -V, --version           print the version and exit

Durations: ${DURATION_HINT}; units ms, s, m, h, d.

Exit codes:
  0    every resource is COMPLETED
  1    a resource ended FAILED or DELETED
  2    usage error (nothing was sent)
  3    request, auth or configuration error (e.g. 403, bad credentials, no region)
  75   --once only: a resource is still PENDING or INPROGRESS (EX_TEMPFAIL)
  124  --timeout ran out
  130  interrupted (Ctrl-C cancels the waits cleanly; a second Ctrl-C exits at once)
  With several ids the first of 130, 3, 1, 124, 75 that applies wins.
  The AWS CLI's "aws machinelearning wait" exits 255 when it gives up; aml-wait uses 124.

Environment:
  AWS_ENDPOINT_URL_MACHINE_LEARNING, AWS_ENDPOINT_URL   endpoint
  AWS_REGION, AWS_DEFAULT_REGION                        region
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE,
  AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE          credentials
  NO_COLOR, FORCE_COLOR                                 colours

Examples:
  aml-wait bp-2024-01-01
  aml-wait --kind ml-model --timeout 2h ml-123 ml-456
  aml-wait --json bp-1 | jq -c 'select(.type == "result")'
  aml-wait --once bp-1 || echo "not done yet"
  aml-emulator     # in another terminal; paste the export lines it prints, then run aml-wait
`;
}
