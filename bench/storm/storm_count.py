#!/usr/bin/env python3
"""Counting and comparing for bin/storm (the nlstream storm benchmark; see bench/README.md).

  storm_count.py events PREFIX < replay.jsonl       conn events of flows whose orig src starts with PREFIX,
                                                    by op and origin: "new.event=N new.resync=N ..."
  storm_count.py gaps < gaps.jsonl                  "gaps=N overruns_max=N"
  storm_count.py ct-events PREFIX FILE              NEW lines of conntrack -E whose first src= starts with PREFIX
  storm_count.py ct-list PREFIX FILE                entries of conntrack -L whose first src= starts with PREFIX
  storm_count.py netlink SS_FILE INODE... < /proc/net/netlink
                                                    per socket inode: "INODE proto=.. port=.. groups=.. rmem=..
                                                    rcvbuf=.. drops=.." (rcvbuf from `ss -f netlink -m -e -a`)
  storm_count.py sample-rmem /proc/PID/net/netlink SECONDS INODE...
                                                    until SIGTERM: the peak receive queue of each socket
  storm_count.py threads PID                        "TID TICKS NAME" per thread (utime + stime)
  storm_count.py thread-diff BEFORE AFTER [TOP]     threads that used CPU between two `threads` listings
  storm_count.py compare STATE_JSONL CONNTRACK_L    state --kind conn --format json against conntrack -L -o id,
                                                    entry for entry (protocol, original and reply tuples, id)
"""
import json
import os
import re
import sys


def conn_key(tuple_, proto):
    return (proto, tuple_.get("src"), tuple_.get("dst"), tuple_.get("sport"), tuple_.get("dport"))


def events(prefix):
    counts = {}
    total = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            e = json.loads(line)
        except ValueError:
            counts["unparsed"] = counts.get("unparsed", 0) + 1
            continue
        if e.get("kind") != "conn":
            continue
        total += 1
        if not str(e.get("orig", {}).get("src", "")).startswith(prefix):
            continue
        k = "%s.%s" % (e.get("op"), e.get("origin"))
        counts[k] = counts.get(k, 0) + 1
    for k in ("new.event", "new.resync", "new.dump"):
        counts.setdefault(k, 0)
    print(" ".join("%s=%d" % kv for kv in sorted(counts.items())) + " conn_total=%d" % total)


def gaps():
    n = 0
    overruns = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        e = json.loads(line)
        if e.get("kind") == "gap":
            n += 1
            overruns = max(overruns, int(e.get("overruns", 0)))
    print("gaps=%d overruns_max=%d" % (n, overruns))


def ct_fields(line):
    """(proto, orig tuple, reply tuple, id) of one conntrack -L / -E line, or None."""
    words = line.split()
    proto = None
    for i, w in enumerate(words):
        if w in ("tcp", "udp", "icmp", "icmpv6", "sctp", "dccp", "gre", "udplite", "unknown"):
            proto = w
            break
    kv = [w.split("=", 1) for w in words if "=" in w]
    tuples = []
    current = {}
    ident = None
    prev = None
    for k, v in kv:
        if k == "id" and prev == "code":
            current["sport"] = v  # an ICMP tuple's id (type=, code=, id=); kept where state puts icmp_id
            prev = k
            continue
        prev = k
        if k == "id":
            ident = int(v)  # conntrack's own id (-o id), last on the line
            continue
        if k in ("src", "dst", "sport", "dport", "type", "code"):
            if k in current:
                tuples.append(current)
                current = {}
            current[k] = v
    if current:
        tuples.append(current)
    if not tuples:
        return None
    orig = tuples[0]
    reply = tuples[1] if len(tuples) > 1 else {}
    return proto, orig, reply, ident


def ct_count(prefix, path, new_only):
    n = 0
    with open(path, errors="replace") as f:
        for line in f:
            if new_only and "[NEW]" not in line:
                continue
            parsed = ct_fields(line)
            if parsed and parsed[1].get("src", "").startswith(prefix):
                n += 1
    print(n)


def netlink(ss_path, inodes):
    """Rows of /proc/net/netlink (stdin) for the given socket inodes, with the receive buffer (rb) that
    `ss -f netlink -m -e -a` (in ss_path) shows for the same port id."""
    rcvbuf = {}
    if ss_path != "-":
        with open(ss_path, errors="replace") as f:
            for line in f:
                m = re.search(r"\b[a-z_]+:(\S+)\s.*\brb(\d+)", line)
                if m:
                    port = m.group(1).rsplit("/", 1)[-1]  # "conntrack/3710" when the port id is the pid
                    rcvbuf[port] = m.group(2)
    wanted = set(inodes)
    next(sys.stdin, None)  # header
    for line in sys.stdin:
        f = line.split()
        if len(f) < 10 or f[9] not in wanted:
            continue
        port = int(f[2])
        signed = port - (1 << 32) if port >= (1 << 31) else port
        rb = rcvbuf.get(str(signed), "?")
        print("%s proto=%s port=%d groups=%s rmem=%s rcvbuf=%s drops=%s" % (f[9], f[1], signed, f[3], f[4], rb, f[8]))


def sample_rmem(path, interval, inodes):
    """Reads a /proc/PID/net/netlink every INTERVAL seconds until SIGTERM; then prints, per socket inode,
    the largest receive queue (Rmem, bytes) seen: how close each listener came to its buffer's end."""
    import signal
    import time
    wanted = set(inodes)
    peak = {i: 0 for i in wanted}
    samples = [0]
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        try:
            with open(path) as f:
                next(f, None)
                for line in f:
                    fields = line.split()
                    if len(fields) >= 10 and fields[9] in wanted:
                        peak[fields[9]] = max(peak[fields[9]], int(fields[4]))
            samples[0] += 1
        except OSError:
            pass
        time.sleep(interval)
    for inode in sorted(peak):
        print("%s %d" % (inode, peak[inode]))
    print("samples %d" % samples[0])


def threads(pid):
    """tid, CPU ticks (utime + stime) and name of every thread of a process."""
    for tid in sorted(os.listdir("/proc/%s/task" % pid), key=int):
        try:
            with open("/proc/%s/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2:].split()
        print("%s %d %s" % (tid, int(rest[11]) + int(rest[12]), name))


def thread_diff(before_path, after_path, top):
    """The threads that used CPU between two `threads` listings, busiest first."""
    def load(path):
        out = {}
        with open(path) as f:
            for line in f:
                tid, ticks, name = line.rstrip("\n").split(" ", 2)
                out[tid] = (int(ticks), name)
        return out
    before, after = load(before_path), load(after_path)
    rows = []
    for tid, (ticks, name) in after.items():
        d = ticks - before.get(tid, (0, name))[0]
        if d > 0:
            rows.append((d, tid, name))
    rows.sort(reverse=True)
    print(", ".join("%s %d" % (name, d) for d, tid, name in rows[:top]) or "none")


def norm_tuple(t):
    out = {}
    for k in ("src", "dst", "sport", "dport", "type", "code"):
        if k in t and t[k] is not None:
            out[k] = str(t[k])
    return tuple(sorted(out.items()))


def compare(state_path, list_path):
    state = {}
    with open(state_path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            e = json.loads(line)
            if e.get("kind") != "conn":
                continue
            orig = dict(e.get("orig", {}))
            if "icmp_id" in orig:
                orig["sport"] = orig.pop("icmp_id")
            key = (e.get("proto"), norm_tuple(orig))
            state[key] = (norm_tuple(e.get("reply", {})), e.get("id"))
    kernel = {}
    with open(list_path, errors="replace") as f:
        for line in f:
            parsed = ct_fields(line)
            if not parsed:
                continue
            proto, orig, reply, ident = parsed
            kernel[(proto, norm_tuple(orig))] = (norm_tuple(reply), ident)
    only_state = [k for k in state if k not in kernel]
    only_kernel = [k for k in kernel if k not in state]
    reply_diff = [k for k in state if k in kernel and state[k][0] != kernel[k][0]]
    id_diff = [k for k in state if k in kernel and state[k][1] is not None and kernel[k][1] is not None
               and int(state[k][1]) != int(kernel[k][1])]
    differences = len(only_state) + len(only_kernel) + len(reply_diff) + len(id_diff)
    print("state=%d kernel=%d only_in_state=%d only_in_kernel=%d reply_differs=%d id_differs=%d verdict=%s"
          % (len(state), len(kernel), len(only_state), len(only_kernel), len(reply_diff), len(id_diff),
             "equal" if differences == 0 else "different"))
    for label, keys in (("only in state", only_state), ("only in conntrack -L", only_kernel),
                        ("reply differs", reply_diff), ("id differs", id_diff)):
        for k in keys[:5]:
            print("  %s: %s %s" % (label, k[0], dict(k[1])), file=sys.stderr)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "events":
        events(argv[2])
    elif cmd == "gaps":
        gaps()
    elif cmd == "ct-events":
        ct_count(argv[2], argv[3], True)
    elif cmd == "ct-list":
        ct_count(argv[2], argv[3], False)
    elif cmd == "netlink":
        netlink(argv[2], argv[3:])
    elif cmd == "sample-rmem":
        sample_rmem(argv[2], float(argv[3]), argv[4:])
    elif cmd == "threads":
        threads(argv[2])
    elif cmd == "thread-diff":
        thread_diff(argv[2], argv[3], int(argv[4]) if len(argv) > 4 else 6)
    elif cmd == "compare":
        compare(argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
