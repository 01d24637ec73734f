#!/usr/bin/env bash
# Makes the v1-kernel fixture: a journal written by nlstream's capture (capture header version 1) from the
# real kernel, and what that build's replay/state/stats printed for it. Readers of later builds must print
# the same for it (LegacyJournalTest). Needs root; run from the repository root with the build to record:
#   monitor/src/test/resources/journals/v1-kernel/make.sh OUTDIR
# Writes OUTDIR/journal.tar.gz and OUTDIR/expected/*; cleans up its namespaces on every exit.
set -euo pipefail
OUT=$(realpath "${1:?usage: make.sh OUTDIR}")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../../.." && pwd)
source "$ROOT/bin/lib.sh"
A=nlst-fxa-$$ B=nlst-fxb-$$
WORK=$(mktemp -d /tmp/nlst-fixture.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}" $(ip netns pids "$A" 2>/dev/null) $(ip netns pids "$B" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$A" 2>/dev/null || true
  ip netns del "$B" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
JAVA=(java -Xmx512m "${NLSTREAM_JVM_FLAGS[@]}" -cp "$NLSTREAM_JAR:$ROOT/monitor/target/lib/*" io.nlstream.monitor.cli.Main)
J=$WORK/journal
now() { date -u +%Y-%m-%dT%H:%M:%S.%NZ; }
monitor() { # monitor LOG ARGS...: run nlstream in namespace A until its dumps are complete
  local log=$1; shift
  ip netns exec "$A" "${JAVA[@]}" run --journal "$J" --stdout json --sock-interval 1s "$@" >"$log.out" 2>"$log.err" &
  MON=$!
  PIDS+=("$MON")
  for i in $(seq 300); do
    [[ $(grep -c 'initial dumps complete' "$log.err" 2>/dev/null) -ge 3 ]] && return 0
    sleep 0.1
  done
  cat "$log.err" >&2; exit 1
}
stop_monitor() { kill -TERM "$MON"; wait "$MON"; }
ina() { ip netns exec "$A" "$@"; }
inb() { ip netns exec "$B" "$@"; }

ip netns add "$A"; ip netns add "$B"
ina ip link set lo up; inb ip link set lo up
ina ip link add a0 type veth peer name b0 netns "$B"
ina ip addr add 10.77.0.2/24 dev a0; inb ip addr add 10.77.0.1/24 dev b0
ina ip -6 addr add fd77::2/64 dev a0 nodad; inb ip -6 addr add fd77::1/64 dev b0 nodad
ina ip link set a0 up; inb ip link set b0 up
echo 'table ip nat { chain prerouting { type nat hook prerouting priority -100; tcp dport 8080 dnat to 10.77.0.2:80; }; }
table inet f { chain input { type filter hook input priority 0; ct state new counter; }; }' | ina nft -f -
ina python3 -c 'import socket;s=socket.socket();s.setsockopt(1,2,1);s.bind(("10.77.0.2",80));s.listen(8)
while True:
  c,a=s.accept();c.sendall(c.recv(100));c.close()' &
PIDS+=($!)

monitor "$WORK/run1"
mkdir -p "$OUT/expected"
T0=$(now)
# links: a bridge with a port, a vxlan, a macvlan; addresses v4/v6; routes in main and table 100; neighbours
ina ip link add br7 type bridge
ina ip link add v1 type veth peer name v2
ina ip link set v1 master br7
ina ip link set br7 up; ina ip link set v1 up; ina ip link set v2 up
ina ip addr add 10.78.0.1/24 dev br7
ina ip link add vx7 type vxlan id 77 dstport 4789 local 10.77.0.2 dev a0
ina ip link add mv7 link a0 type macvlan mode bridge
ina ip route add 10.99.0.0/24 via 10.77.0.1 table 100
ina ip route add 10.98.0.0/16 via 10.77.0.1 metric 50
ina ip -6 route add fd99::/64 via fd77::1
ina ip neigh add 10.77.0.77 lladdr 02:00:00:00:00:77 dev a0 nud permanent
ina ip link set a0 mtu 1400
# connections: TCP through the DNAT, UDP, ICMP; a UDP listener started after the monitor
ina python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("0.0.0.0",9999))
while True:
  d,a=s.recvfrom(100);s.sendto(d,a)' &
PIDS+=($!)
sleep 1.5
inb python3 -c 'import socket;c=socket.create_connection(("10.77.0.2",8080),timeout=5);c.sendall(b"hi");c.recv(10);c.close()'
inb python3 -c 'import socket;c=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);c.settimeout(5);c.sendto(b"hi",("10.77.0.2",9999));c.recvfrom(10)'
inb ping -c 1 -W 2 10.77.0.2 >/dev/null
inb ping -6 -c 1 -W 2 fd77::2 >/dev/null
sleep 2.5
T1=$(now)
ina ip link set v2 down
ina ip addr del 10.78.0.1/24 dev br7
ina ip link del mv7
sleep 1.5
T2=$(now)
stop_monitor

# a second run on the same journal (its start dumps meet what the first run left), with a tiny receive buffer
# and a burst of UDP flows, so that the journal holds gaps and resync dumps
inb ip neigh replace 10.77.0.2 lladdr "$(ina cat /sys/class/net/a0/address)" dev b0 nud permanent
ina ip link del vx7   # while no monitor runs: only the restart's dump can tell
monitor "$WORK/run2" --rcvbuf 4096
T3=$(now)
inb python3 -c 'import socket
for i in range(3000):
  s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.sendto(b"x",("10.77.0.2",9999+1+i%50));s.close()'
sleep 3
ina ip link del br7
sleep 1.5
T4=$(now)
stop_monitor

"${JAVA[@]}" replay --journal "$J" --format json >"$OUT/expected/replay.json"
"${JAVA[@]}" replay --journal "$J" --format text >"$OUT/expected/replay.txt"
"${JAVA[@]}" replay --journal "$J" --format json --since "$T1" --until "$T3" >"$OUT/expected/replay-T1-T3.json"
"${JAVA[@]}" replay --journal "$J" --format json --kind conn,sock >"$OUT/expected/replay-conn-sock.json"
for t in T0 T1 T2 T3 T4; do
  "${JAVA[@]}" state --journal "$J" --format json --at "${!t}" >"$OUT/expected/state-$t.json"
done
"${JAVA[@]}" state --journal "$J" --format text >"$OUT/expected/state.txt"
"${JAVA[@]}" stats --journal "$J" | grep -v '^journal ' >"$OUT/expected/stats.txt"
printf 'T0=%s\nT1=%s\nT2=%s\nT3=%s\nT4=%s\n' "$T0" "$T1" "$T2" "$T3" "$T4" >"$OUT/expected/instants"
cp "$WORK/run1.out" "$OUT/expected/run1-stdout.json"; cp "$WORK/run2.out" "$OUT/expected/run2-stdout.json"
rm -f "$J/nlstream.lock"
tar -C "$WORK" -czf "$OUT/journal.tar.gz" journal
ls -la "$OUT" "$OUT/expected"; du -sh "$J"; ls -la "$J"
