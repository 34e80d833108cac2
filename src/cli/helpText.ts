import { EXIT_CODE_PRECEDENCE, exitCodeHelp } from './exitCodes.js';
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
${exitCodeHelp()}
  ${EXIT_CODE_PRECEDENCE}
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
  aml-wait --once -q bp-1; case $? in 0) echo done ;; 75) echo "not done yet" ;; *) echo failed ;; esac
  aml-emulator     # in another terminal; paste the lines it prints, then run aml-wait
`;
}
