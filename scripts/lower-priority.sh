#!/bin/sh
# Runs a command at a lower CPU priority, so that when the cores are busy a user's request is
# answered first and the queues wait: scripts/local.sh, the tests and the benchmark start every
# worker this way, and scripts/local.sh its mocks at NICENESS 0 (a session of their own, at the
# normal priority).
#   scripts/lower-priority.sh NICENESS COMMAND [ARGUMENT...]
# Where the kernel schedules by session (its autogroup feature), a nice value only ranks a process
# within its own session, and PostgreSQL and RabbitMQ run in sessions of their own; so the command
# gets a session of its own (setsid), and the session's group the same nice value. Where there is
# no setsid (macOS), nice alone. Each step execs the next: the process started is the command's.
set -eu
niceness=$1
shift
if command -v setsid > /dev/null; then
    exec setsid sh -c '{ echo "$0" > /proc/self/autogroup; } 2> /dev/null; exec nice -n "$0" "$@"' \
        "$niceness" "$@"
fi
exec nice -n "$niceness" "$@"
