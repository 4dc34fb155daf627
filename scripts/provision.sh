#!/usr/bin/env bash
# Gives each of the five services its own RabbitMQ user and its own PostgreSQL role, allowed only
# what that service needs. Idempotent: run it again and it sets the same permissions and passwords.
#
#   DATABASE=signup VHOST=signup scripts/provision.sh          create or update
#   DATABASE=signup VHOST=signup scripts/provision.sh remove   delete the users and roles again
#
# The users and roles are named after the pipeline, so that pipelines sharing a broker or a database
# server (the local stack, a test run, the benchmark) never log in as each other, and provisioning
# one never changes a password another uses:
#   RabbitMQ user    <vhost>.<service>               e.g. signup.email-worker
#   PostgreSQL role  <database>_<service, with _>    e.g. signup_email_worker
#
# Who does what:
#   RabbitMQ, vhost $VHOST, exchange signup.events (topic):
#     signup-api      declares the exchange and its own signup-api.* queues; publishes only the
#                     user.signed_up routing key; consumes only its own queues; tag "management" so
#                     GET /api/pipeline may read the vhost's queue figures
#     <worker>        declares the exchange and its own <worker>.* queues and exchange; publishes only
#                     the result routing keys (signup.step_*, risk.assessed); consumes only its own queues
#   PostgreSQL, database $DATABASE: role <database>_<service> owns schema <its schema> and
#     nothing else; no role but the owner may use a schema; nobody may create in "public".
#
# Connection settings (defaults: this machine's services):
#   PG_HOST, PG_PORT, PG_ADMIN_USER (a superuser), PGPASSWORD if it needs one
#   RABBITMQ_MANAGEMENT_URL, RABBITMQ_ADMIN_USER, RABBITMQ_ADMIN_PASSWORD (an administrator)
# Passwords, one per service and system, e.g. EMAIL_WORKER_RABBITMQ_PASSWORD, EMAIL_WORKER_DB_PASSWORD;
# a missing one is an error. REVOKE_ADMIN_PERMISSIONS=1 takes the administrator's own permissions on
# the vhost away again once the users exist (the local runner does; test runs keep them).
set -euo pipefail

MODE=${1:-provision}
DATABASE=${DATABASE:?set DATABASE}
VHOST=${VHOST:?set VHOST}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_ADMIN_USER=${PG_ADMIN_USER:-postgres}
MANAGEMENT=${RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15672}
RABBITMQ_ADMIN_USER=${RABBITMQ_ADMIN_USER:-guest}
RABBITMQ_ADMIN_PASSWORD=${RABBITMQ_ADMIN_PASSWORD:-guest}

# service name:its database schema; signup-api's, then each worker's from the roster ("service step port")
SERVICES=(signup-api:signup)
while read -r service step _; do
    SERVICES+=("$service:$step")
done < <(grep -Ev '^[[:space:]]*(#|$)' "$(dirname "$0")/workers.roster")

role() { # role SERVICE, e.g. role email-worker: signup_email_worker
    local service=$1
    printf '%s_%s' "$DATABASE" "${service//-/_}"
}

if [ "$MODE" = remove ]; then
    python3 - "$MANAGEMENT" "$RABBITMQ_ADMIN_USER" "$RABBITMQ_ADMIN_PASSWORD" "$VHOST" "${SERVICES[@]%%:*}" <<'PYTHON'
import base64, sys, urllib.error, urllib.parse, urllib.request
management, admin, admin_password, vhost, *services = sys.argv[1:]
authorization = "Basic " + base64.b64encode(f"{admin}:{admin_password}".encode()).decode()
for service in services:
    user = urllib.parse.quote(f"{vhost}.{service}", safe="")
    try:
        urllib.request.urlopen(urllib.request.Request(f"{management}/api/users/{user}", method="DELETE",
                                                      headers={"Authorization": authorization})).close()
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise
print(f"RabbitMQ: removed the users of vhost {vhost}")
PYTHON
    for entry in "${SERVICES[@]}"; do
        role=$(role "${entry%%:*}")
        # What the role owns in the pipeline's database goes first (if that database is still there).
        psql -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ADMIN_USER" -d "$DATABASE" \
            -c "DROP OWNED BY \"$role\"" 2> /dev/null || true
        psql -v ON_ERROR_STOP=1 -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ADMIN_USER" -d postgres \
            -c "DROP ROLE IF EXISTS \"$role\""
    done
    echo "PostgreSQL: removed the roles of database $DATABASE"
    exit 0
fi

password() { # password SERVICE SYSTEM, e.g. password email-worker RABBITMQ
    local variable
    variable="$(echo "$1" | tr 'a-z-' 'A-Z_')_$2_PASSWORD"
    [ -n "${!variable:-}" ] || { echo "provision: set $variable" >&2; exit 1; }
    printf '%s' "${!variable}"
}

for entry in "${SERVICES[@]}"; do
    password "${entry%%:*}" RABBITMQ > /dev/null
    password "${entry%%:*}" DB > /dev/null
done

# docker-compose.yml gives every password a demo default (demo-...), so that `docker compose up` needs
# no .env: fine on a laptop, where the ports bind to 127.0.0.1, and nowhere else. Said once, here.
demo=()
for variable in $(compgen -v | grep -E '_PASSWORD$|^PGPASSWORD$'); do
    case "${!variable:-}" in demo-*) demo+=("$variable") ;; esac
done
if [ ${#demo[@]} -gt 0 ]; then
    echo "provision: WARNING: ${#demo[@]} password(s) still have their demo value (${demo[*]}): fine for a stack" \
        "on this machine only; set your own in .env (see .env.example) before anyone else can reach it"
fi

# RabbitMQ, through the management API: the same calls work on a local broker and in a container.
python3 - "$MANAGEMENT" "$RABBITMQ_ADMIN_USER" "$RABBITMQ_ADMIN_PASSWORD" "$VHOST" "${SERVICES[@]%%:*}" <<'PYTHON'
import base64, json, os, re, sys, urllib.error, urllib.parse, urllib.request

management, admin, admin_password, vhost, *services = sys.argv[1:]
authorization = "Basic " + base64.b64encode(f"{admin}:{admin_password}".encode()).decode()
results = r"^(signup\.step_completed|signup\.step_failed|signup\.step_replayed|signup\.step_announced|risk\.assessed)$"

def put(path, body=None):
    request = urllib.request.Request(f"{management}/api/{path}", method="PUT",
                                     data=json.dumps(body or {}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": authorization})
    urllib.request.urlopen(request).close()

v = urllib.parse.quote(vhost, safe="")
put(f"vhosts/{v}")
for service in services:
    password = os.environ[service.upper().replace("-", "_") + "_RABBITMQ_PASSWORD"]
    own = "^" + re.escape(service) + r"\..*"
    exchange = r"^signup\.events$"
    api = service == "signup-api"
    user = urllib.parse.quote(f"{vhost}.{service}", safe="")
    put(f"users/{user}", {"password": password, "tags": "management" if api else ""})
    # configure: declare the exchange and its own queues (and its own redelivery exchange);
    # write: publish to the exchange and its own redelivery exchange, bind its own queues;
    # read: consume its own queues, and bind them to the exchange.
    put(f"permissions/{v}/{user}", {"configure": f"{exchange}|{own}", "write": f"{exchange}|{own}",
                                       "read": f"{exchange}|{own}"})
    put(f"topic-permissions/{v}/{user}", {"exchange": "signup.events",
                                             "write": r"^user\.signed_up$" if api else results, "read": ".*"})
if os.environ.get("REVOKE_ADMIN_PERMISSIONS") == "1":
    # Creating the vhost gave the administrator full permissions on it; nothing in the system needs them.
    try:
        urllib.request.urlopen(urllib.request.Request(f"{management}/api/permissions/{v}/{urllib.parse.quote(admin)}",
                                                      method="DELETE", headers={"Authorization": authorization})).close()
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise
print(f"RabbitMQ: vhost {vhost}, users {' '.join(f'{vhost}.{service}' for service in services)}")
PYTHON

psql_admin() {
    psql -v ON_ERROR_STOP=1 -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ADMIN_USER" "$@"
}

if ! psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
    psql_admin -d postgres -c "CREATE DATABASE \"$DATABASE\""
fi
psql_admin -d "$DATABASE" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC" \
    -c "REVOKE ALL ON DATABASE \"$DATABASE\" FROM PUBLIC"
for entry in "${SERVICES[@]}"; do
    service=${entry%%:*}
    schema=${entry##*:}
    role=$(role "$service")
    psql_admin -d "$DATABASE" -v role="$role" -v schema="$schema" -v database="$DATABASE" \
        -v password="$(password "$service" DB)" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE :"database" TO :"role";
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
-- A schema first created by a superuser (before roles existed) keeps working: hand over what is in it.
SELECT format('ALTER TABLE %I.%I OWNER TO %I', schemaname, tablename, :'role')
FROM pg_tables WHERE schemaname = :'schema' AND tableowner <> :'role' \gexec
SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', schemaname, sequencename, :'role')
FROM pg_sequences WHERE schemaname = :'schema' AND sequenceowner <> :'role' \gexec
SQL
done
echo "PostgreSQL: database $DATABASE, roles $(for e in "${SERVICES[@]}"; do printf '%s ' "$(role "${e%%:*}")"; done)"
