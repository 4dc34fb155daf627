#!/usr/bin/env bash
# The steps signup-api has learnt from the workers' announcements (signup.step_announced), and the one
# thing done to them by hand: retiring a step, so that new signups stop waiting for it.
#
#   scripts/steps.sh list           every step: its worker, queue, address, since when it counts, retired when
#   scripts/steps.sh retire STEP    new signups stop expecting STEP; signups already made keep it
#
# Retire a step before you take its worker away for good. A worker instance started after the
# retirement brings the step back when it announces itself; the running one does not.
# The API's instances read the change within 2 s.
#
# Against the local stack's database by default; SIGNUP_DATABASE, PG_HOST, PG_PORT and PG_USER (a role
# that may write signup.steps: the superuser, or <database>_signup_api) say otherwise. With compose:
#   docker compose exec postgres psql -U postgres -d signup \
#       -c "UPDATE signup.steps SET retired_at = now() WHERE step = 'notify' AND retired_at IS NULL"
set -euo pipefail

DATABASE=${SIGNUP_DATABASE:-signup}
psql_steps() {
    psql -v ON_ERROR_STOP=1 -h "${PG_HOST:-127.0.0.1}" -p "${PG_PORT:-5432}" -U "${PG_USER:-postgres}" -d "$DATABASE" "$@"
}

case "${1:-}" in
list)
    psql_steps -c "SELECT step, service, queue, url, known_since, last_announced, retired_at
                   FROM signup.steps ORDER BY known_since, step"
    ;;
retire)
    step=${2:?usage: scripts/steps.sh retire STEP}
    retired=$(psql_steps -qAt -v step="$step" <<'SQL'
UPDATE signup.steps SET retired_at = now() WHERE step = :'step' AND retired_at IS NULL RETURNING step
SQL
)
    if [ -z "$retired" ]; then
        echo "No step \"$step\" counts now (scripts/steps.sh list shows the steps)." >&2
        exit 1
    fi
    echo "Retired $step: signups from now on do not wait for it."
    ;;
*)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
