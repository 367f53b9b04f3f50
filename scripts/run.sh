#!/usr/bin/env bash
# `make run`: the web server and the task worker side by side, stopped together.
#
# Ctrl-C, or SIGTERM to make or to this script (a supervisor, `timeout 60 make run`), stops both
# within STOP_GRACE_SECONDS (default 7): each runs in its own process group; the worker gets
# SIGTERM (django-q2 then finishes what it is doing), and whatever is still running after the
# grace period is killed with its whole group. No task is lost: the database broker deletes a task
# only once it is done, and `release_task_locks` lets a task the last worker held run at once.
set -u
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
ADDRESS=${RUN_ADDRESS:-127.0.0.1:8000}
GRACE=${STOP_GRACE_SECONDS:-7}
# A readable terminal: the worker reports problems only, not every task it runs.
export Q_LOG_LEVEL=${Q_LOG_LEVEL:-WARNING}

"$PY" manage.py release_task_locks || exit 1

set -m  # every background job in a process group of its own (the worker's processes, the reloader's)
"$PY" manage.py qcluster &
worker=$!
"$PY" manage.py runserver "$ADDRESS" &
server=$!
set +m

echo
echo "  Labour International: http://$ADDRESS/  (admin: http://$ADDRESS/admin/)"
echo "  Demo accounts (password demo): admin@ secretary@ policy@ membership@ returning@ comms@ member@example.org,"
echo "  officer.<branch>@example.org. Emails the site sends: ${EMAIL_FILE_PATH:-var/emails}/ and the admin's Outbox."
echo "  Ctrl-C stops the server and the worker."
echo

alive() { kill -0 "$1" 2>/dev/null; }

stopping=
stop() {
    [ -n "$stopping" ] && return
    stopping=1
    trap '' INT TERM
    alive "$server" && kill -TERM -- "-$server" 2>/dev/null
    alive "$worker" && kill -TERM "$worker" 2>/dev/null
    deadline=$((SECONDS + GRACE))
    while alive "$server" || alive "$worker"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "Stopping: the worker did not finish within ${GRACE}s; its unfinished tasks run at the next start." >&2
            kill -KILL -- "-$server" "-$worker" 2>/dev/null
            break
        fi
        sleep 0.2
    done
    # The worker's children (sentinel, workers, monitor) share its group: none may outlive it.
    kill -KILL -- "-$worker" "-$server" 2>/dev/null
    wait 2>/dev/null
}

trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop' EXIT

wait -n "$server" "$worker"
status=$?
stop
exit "$status"
