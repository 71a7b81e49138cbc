# Sourced by .ci/run: a real PostgreSQL server (Debian's `postgresql` package, with pg_trgm from its
# contrib) and Debian's PgBouncer in front of it, both in a fresh temp folder on free ports, so the
# database and HTTP tests also run against them (scripts/test-summary.mjs reads the two URLs below).
#   ci_postgres_start   installs the packages when missing (apt), starts both, exports
#                       CI_PG_SERVER_URL (direct) and CI_PGBOUNCER_URL (PgBouncer, session pooling)
#   ci_postgres_stop    stops both and removes the folder (trap on EXIT)
# The cluster is private to this run (initdb in the temp folder, not the package's `main` cluster), so
# it works on a clean CI machine (as root: the server runs as the `postgres` user) and on a developer's
# machine next to other servers.

ci_free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{const p=s.address().port;s.close(()=>console.log(p))})"
}

ci_postgres_start() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v pgbouncer >/dev/null; then
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends postgresql pgbouncer
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  CI_PG_DIR="$(mktemp -d /tmp/beheermodule-ci-pg.XXXXXX)"
  chmod 755 "$CI_PG_DIR"
  local as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$CI_PG_DIR"
    as_pg=(runuser -u postgres --)
  fi
  local pg_port bouncer_port
  pg_port="$(ci_free_port)"
  bouncer_port="$(ci_free_port)"
  "${as_pg[@]}" "$bin/initdb" -D "$CI_PG_DIR/data" -U postgres -A trust --no-sync >/dev/null
  # fsync off: a CI database lives for one run (as the embedded one in the tests does).
  "${as_pg[@]}" "$bin/pg_ctl" -D "$CI_PG_DIR/data" -l "$CI_PG_DIR/postgres.log" -w -t 60 \
    -o "-p $pg_port -k $CI_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
  # Session pooling: the app's queries are named prepared statements (Prisma's pg adapter), pg-boss
  # and the mail worker use LISTEN and session state; PgBouncer 1.18 (Debian 12) has no
  # max_prepared_statements, so transaction pooling breaks them (see README, "PgBouncer").
  cat >"$CI_PG_DIR/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$pg_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncer_port
unix_socket_dir =
auth_type = trust
auth_file = $CI_PG_DIR/userlist.txt
pool_mode = session
max_client_conn = 1000
default_pool_size = 100
max_db_connections = 250
ignore_startup_parameters = extra_float_digits
logfile = $CI_PG_DIR/pgbouncer.log
pidfile = $CI_PG_DIR/pgbouncer.pid
EOF
  echo '"postgres" ""' >"$CI_PG_DIR/userlist.txt"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$CI_PG_DIR"/pgbouncer.ini "$CI_PG_DIR"/userlist.txt
  "${as_pg[@]}" pgbouncer -d "$CI_PG_DIR/pgbouncer.ini"
  export CI_PG_SERVER_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
  export CI_PGBOUNCER_URL="postgres://postgres@127.0.0.1:$bouncer_port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $pg_port, PgBouncer $(pgbouncer --version | head -n 1 | awk '{print $2}') (session pooling) on port $bouncer_port"
}

ci_postgres_stop() {
  [ -n "${CI_PG_DIR:-}" ] || return 0
  [ -f "$CI_PG_DIR/pgbouncer.pid" ] && kill "$(cat "$CI_PG_DIR/pgbouncer.pid")" 2>/dev/null || true
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$CI_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  else
    "$bin/pg_ctl" -D "$CI_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$CI_PG_DIR"
  CI_PG_DIR=""
}
