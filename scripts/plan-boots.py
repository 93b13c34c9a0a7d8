#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Plan the VM boots of 'make check' onto the host's VM slots.

Each slot is one host core running its boots one after the other.  The main
run may be split into shards (whole tests each); every other run is one boot.
Longest first onto the least loaded slot, where a test costs the host wall
seconds it took in earlier runs ('name secs' lines of the durations files,
later files win; 60 s when unknown) and a boot costs what booting that run
took ('boot:<run> secs', default 40 s).

stdin:  one line per selected test: 'run name skip' (skip: 1 if the test is
        only reported as skipped, which costs nothing).
argv:   SLOTS MAIN_SHARDS RUNS DURATIONS...
        MAIN_SHARDS: the most shards main may have.
        RUNS: the runs to boot in runs.list order, comma-separated ('main'
        first when it boots at all).
stdout: the number of main shards, then SLOTS lines 'shard|tests|runs': the main shard this slot boots first
        (-1: none), its comma-separated tests ('-' for none), then the other
        runs it boots, comma-separated ('-' for none).
"""
import sys

DEFAULT_TEST, DEFAULT_BOOT = 60, 40
# The KUnit suites run at the boot of main shard 0
KUNIT = 5


def main():
    slots, nmain = int(sys.argv[1]), int(sys.argv[2])
    runs = [r for r in sys.argv[3].split(",") if r]
    known = {}
    for path in sys.argv[4:]:
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith("#") or not line.strip():
                        continue
                    name, secs = line.split()
                    known[name] = int(secs)
        except OSError:
            pass

    tests = {r: [] for r in runs}
    for line in sys.stdin:
        if not line.strip():
            continue
        run, name, skip = line.split()
        if run in tests:
            tests[run].append((name, 0 if skip == "1" else known.get(name, DEFAULT_TEST)))

    def boot(run):
        return known.get("boot:" + run, DEFAULT_BOOT)

    def plan(nmain):
        load = [0] * slots
        shard_tests = [[] for _ in range(slots)]
        slot_runs = [[] for _ in range(slots)]
        for i in range(nmain):
            load[i] = boot("main")
        if nmain:
            load[0] += KUNIT
        # (cost, kind, what): a main test goes to one of the main shards,
        # another run's boot with all its tests to any slot.
        items = [(c, "test", t) for t, c in tests.get("main", [])]
        items += [(boot(r) + sum(c for _, c in tests[r]), "run", r)
                  for r in runs if r != "main"]
        for cost, kind, what in sorted(items, key=lambda i: -i[0]):
            eligible = range(nmain) if kind == "test" else range(slots)
            i = min(eligible, key=lambda s: load[s])
            load[i] += cost
            (shard_tests if kind == "test" else slot_runs)[i].append(what)
        return max(load), load, shard_tests, slot_runs, nmain

    # As many main shards as make the whole end soonest (fewer on a tie).
    if "main" in runs:
        most = max(1, min(nmain, slots, len(tests["main"])))
        best = min((plan(k) for k in range(1, most + 1)), key=lambda p: p[0])
    else:
        best = plan(0)
    _, load, shard_tests, slot_runs, nmain = best

    print(nmain)
    for i in range(slots):
        shard = i if i < nmain else -1
        print("%d|%s|%s" % (shard, ",".join(shard_tests[i]) or "-",
                            ",".join(slot_runs[i]) or "-"))
        print("# slot %d: planned %d s" % (i, load[i]), file=sys.stderr)


if __name__ == "__main__":
    main()
