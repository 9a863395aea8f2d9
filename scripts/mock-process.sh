# Starts and stops a capgo-mock process for the scripts that check an entry point against one
# (mockctl-check.sh, live-check.sh). Source it after setting:
#   check          the script's name, for its messages
#   work           a temporary folder holding the built capgo-mock; removed on exit
#   start_timeout  seconds to wait for the mock to start; stop_timeout, to stop
# and defining fail MESSAGE [DETAIL...]. It stops the mock and removes $work on exit, also after a
# failure or an interrupt.

mock_pid=

stop_mock() {
  [[ -n $mock_pid ]] || return 0
  local pid=$mock_pid tenths=$((stop_timeout * 10))
  mock_pid=
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((tenths-- > 0)); do
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$check: capgo-mock did not stop within ${stop_timeout}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT
  stop_mock
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_mock starts $work/capgo-mock on a free port with the options given, and sets url once it
# listens. Its standard output goes to $work/mock.out, its log to $work/mock.log.
start_mock() {
  "$work/capgo-mock" --listen 127.0.0.1:0 "$@" >"$work/mock.out" 2>"$work/mock.log" &
  mock_pid=$!
  local tenths=$((start_timeout * 10)) first=
  url=
  while [[ -z $url ]]; do
    kill -0 "$mock_pid" 2>/dev/null || fail "capgo-mock exited at start" "$(cat "$work/mock.log")"
    ((tenths-- > 0)) || fail "capgo-mock did not start within ${start_timeout}s" "$(cat "$work/mock.log")"
    sleep 0.1
    first=$(head -n 1 "$work/mock.out")
    if [[ $first =~ ^capgo-mock\ listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]]; then
      url=${BASH_REMATCH[1]}
    elif [[ -n $first ]]; then
      fail "capgo-mock printed an unexpected first line" "expected: capgo-mock listening on http://127.0.0.1:PORT" "seen:     $first"
    fi
  done
}
