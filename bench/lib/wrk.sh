# Shell helpers shared by bench/scale.sh and bench/peer.sh (sourced, not run).
# Both expect WORK (a scratch directory) and DURATION (seconds per wrk run) to be set.

# wrk_ok NAME CONNECTIONS URL SCRIPT [ARGS…]: 2xx responses per second of a wrk -t2 run
# (a failed request does not count as throughput). wrk's own output stays in $WORK/NAME.txt.
wrk_ok() {
    local name=$1 conns=$2 url=$3 script=$4; shift 4
    if [ $# -gt 0 ]; then set -- -- "$@"; fi
    wrk -t2 -c"$conns" -d"${DURATION}s" -s "$script" "$url/" "$@" > "$WORK/$name.txt"
    python3 - "$WORK/$name.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
total, secs = int(m.group(1)), float(m.group(2)) * {"s": 1, "ms": 1e-3, "m": 60}[m.group(3)]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{(total - (int(bad.group(1)) if bad else 0)) / secs:.0f}")
PY
}

# wait_listening PID LOG PATTERN: waits until LOG has a line matching PATTERN, failing if
# the process ends first.
wait_listening() {
    until grep -q "$3" "$2" 2>/dev/null; do
        kill -0 "$1" 2>/dev/null || { cat "$2"; exit 1; }
        sleep 0.05
    done
}
