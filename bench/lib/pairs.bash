# bench/lib/pairs.bash: sourced by benches that time our pipeline beside a baseline in pairs.
# Expects: $work (a scratch directory holding steal.samples), $runs (pairs to keep), $steal_max (a pair's largest stolen share).
now() { sync; date +%s.%N; }
# The steal counter (clock ticks, all CPUs) every 0.1 s, so the steal inside any timed window can be read afterwards.
sample_steal() { while :; do read -r _ _ _ _ _ _ _ _ st _ < /proc/stat; echo "$(date +%s.%N) $st"; sleep 0.1; done; }
steal_share() { # START SECONDS: the share of the machine's CPU time stolen between START and START + SECONDS
  awk -v a="$1" -v b="$(echo "$1 + $2" | bc)" -v n="$(nproc)" -v hz="$(getconf CLK_TCK)" -v d="$2" '
    $1 >= a && first == "" { first = $2 } $1 <= b { last = $2 }
    END { printf "%.3f", (first == "" || d <= 0) ? 0 : (last - first) / hz / (n * d) }' "$work/steal.samples"
}
elapsed() { echo "$(date +%s.%N) - $1" | bc; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ratio() { echo "scale=3; $1 / $2" | bc; }

# measure OURS HAND: runs the two functions (each prints "seconds start ...") in pairs, alternating which goes first,
# until RUNS pairs ran with steal <= STEAL_MAX in both runs, or 4 x RUNS pairs ran. A pair is kept or set aside
# whole, so both sides are always timed at the same moments (this machine also drifts over minutes). Sets: ours_s,
# hand_s (the kept seconds), ours_log, hand_log ("seconds@steal" of every run, * = pair set aside), noisy.
measure() {
  local pair side out sec start rest share o h o_share h_share worst mark kept=0 all=()
  ours_s=(); hand_s=(); ours_log=""; hand_log=""; noisy=""
  for pair in $(seq 1 $((runs * 4))); do
    [ "$kept" -ge "$runs" ] && break
    for side in $([ $((pair % 2)) -eq 1 ] && echo ours hand || echo hand ours); do
      out=$("$([ "$side" = ours ] && echo "$1" || echo "$2")")
      read -r sec start rest <<< "$out"
      share=$(steal_share "$start" "$sec")
      if [ "$side" = ours ]; then o=$sec; o_share=$share; last_ours="$rest"; else h=$sec; h_share=$share; fi
    done
    worst=$(printf '%s\n%s\n' "$o_share" "$h_share" | sort -n | tail -n 1)
    all+=("$worst $o $h")
    if [ "$(echo "$worst <= $steal_max" | bc)" = 1 ]; then ours_s+=("$o"); hand_s+=("$h"); kept=$((kept + 1)); mark=""; else mark="*"; fi
    ours_log+=" $(printf '%.2f' "$o")@$o_share$mark"; hand_log+=" $(printf '%.2f' "$h")@$h_share$mark"
  done
  # Too few clean pairs: the least-stolen pairs fill in, and the figure says so.
  if [ "$kept" -lt "$runs" ]; then
    noisy=" (too few clean pairs)"; ours_s=(); hand_s=()
    while read -r _ o h; do ours_s+=("$o"); hand_s+=("$h"); done < <(printf '%s\n' "${all[@]}" | sort -n | head -n "$runs")
  fi
}
