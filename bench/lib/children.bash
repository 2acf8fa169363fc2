# bench/lib/children.bash: sourced by benches whose EXIT trap tears their stack down.
# stop_children: a bench stopped by SIGTERM or Ctrl-C runs its EXIT trap at once, while the command it was waiting for
# (a local up, a switchover, the drill writer) still runs and holds the stack's state lock, so the teardown that
# follows would be refused and leave servers behind. This ends this script's own child processes (found by their
# parent PID, never by name) and waits up to 30 s for them to exit. Servers the CLI started are not children: they
# are detached, and the teardown stops them by their PID files.
stop_children() {
  local kids waited=0
  kids="$(pgrep -P $$ || true)"
  [ -n "$kids" ] || return 0
  kill -TERM $kids 2>/dev/null || true
  # Exited children stay zombies until this shell reaps them, so "alive" means a state other than Z.
  while [ $waited -lt 300 ] && ps -o stat= -p "${kids//$'\n'/,}" 2>/dev/null | grep -qv '^Z'; do sleep 0.1; waited=$((waited + 1)); done
  kill -KILL $kids 2>/dev/null || true
}
