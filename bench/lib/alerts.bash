# shellcheck shell=bash
# firing_alert URL NAME [HOST]: prints the first firing alert called NAME (for HOST, when given) that the Prometheus
# alerts API at URL reports, as one line of JSON; exits 1 when there is none. Shared by the benches that time alerts.
firing_alert() {
  local alert
  alert=$(curl -s "$1" | jq -c --arg n "$2" --arg h "${3:-}" \
    '.data.alerts[] | select(.labels.alertname == $n and .state == "firing" and ($h == "" or .labels.host == $h))' | head -n 1)
  [ -n "$alert" ] && echo "$alert"
}
