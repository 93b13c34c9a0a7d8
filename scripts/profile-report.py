#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make profile: turn insn_profile's counts into build/bench/profile.md.

usage: profile-report.py System.map counts.txt guest-results.txt > profile.md
       profile-report.py --flat System.map counts.txt [N] > profile-check.md

--flat (make profile-check): every phase together, the N (default 40)
functions with the most instructions, with how often each was entered.

The phases are those of vfio_intr_bench's ims-profile mode (run_ims() with
profile set), named by the bench row they reproduce: irq.ims.irqcpu and
irq.msix.idlecpu (the measured vector on CPU 2, CPU 1 paces), then
add.vdev.N for N = 1, 1024, 1, and add.vdev-beside.1 (N = 1 while another
virtual device holds 1024 vectors).  Instructions are exact guest instruction
counts (whole translation blocks, so an interrupted block counts in full).
"""
import bisect
import collections
import re
import sys

KERNEL_START = 0xffff800000000000

# Functions by what they do; the first pattern that matches wins.
ADD_GROUPS = [
    ("vfio-intr (frontend, IMS backend, SIOV driver)",
     r"^(vfio_pci_intr|vfio_pci_ims|vfio_pci_msi|edu_|pci_ims|kunit_get_current_test)"),
    ("maple tree (the irq descriptor store, sparse_irqs)", r"^(mtree_|mas_|ma_|mte_|mt_|mab_)"),
    ("xarray / radix tree (MSI descriptors, irq domains)",
     r"^(xa_|xas_|__xa|radix_tree|__radix|tag_|node_tag)"),
    ("per-CPU allocator (kstat_irqs of each descriptor)", r"^pcpu_"),
    ("bitmap searches (IRTEs, vector matrix)", r"^_find_"),
    ("procfs / kernfs / sysfs", r"^(proc_|pde_|kernfs_|sysfs_|memcmp$|rb_)"),
]
WINDOW_GROUPS = [
    ("jiffies/timekeeping catch-up after idle",
     r"^(tick_do_update_jiffies64|update_wall_time|timekeeping_|__timekeeping_|update_vsyscall"
     r"|update_fast_timekeeper|accumulate_nsecs_to_secs|ntp_|second_overflow|calc_global_load"
     r"|raw_notifier_call_chain|notifier_call_chain|vdso_|update_pvclock|clocksource_)"),
    ("vfio-intr handler", r"^(vfio_pci_|kunit_get_current_test)"),
    ("reader wakeup (eventfd, scheduler, IPI)",
     r"^(eventfd_|pollwake|__wake_up|default_wake_function|try_to_wake_up|ttwu_|select_task_rq"
     r"|is_cpu_allowed|cpus_share_cache|__smp_call_single_queue|call_function_single_prep_ipi"
     r"|native_send_call_func_single_ipi|default_send_IPI|__default_send_IPI|apic_mem_wait_icr_idle"
     r"|update_rq_clock|___task_rq_lock|raw_spin_rq_lock|queued_spin_lock_slowpath"
     r"|arch_scale_cpu_capacity|enqueue_task|activate_task|wakeup_preempt|check_preempt"
     r"|resched_curr|set_task_cpu|update_irq_load_avg|decay_load|__update_load_avg)"),
]


def load_symbols(path):
    syms = []
    with open(path) as f:
        for line in f:
            addr, kind, name = line.split()[:3]
            if kind in "tTwW":
                syms.append((int(addr, 16), name))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def load_counts(path, addrs, names):
    text = open(path).read().split("\n")
    gs = {}
    for line in text:
        if line.startswith("G "):
            f = line.split()
            gs[int(f[1])] = int(f[2], 16)
    order = sorted(v for v in gs.values() if v)
    cpu_of = {slot: (order.index(v) if v else -1) for slot, v in gs.items()}

    def sym(va):
        if va < KERNEL_START:
            return "[user]"
        i = bisect.bisect_right(addrs, va) - 1
        return names[i] if i >= 0 else "?"

    phases = []
    cur = None
    for line in text:
        if not line:
            continue
        f = line.split()
        if f[0] == "W":
            cur = {"all": collections.defaultdict(lambda: collections.defaultdict(int)),
                   "win": collections.defaultdict(lambda: collections.defaultdict(int)),
                   "wins": []}
            phases.append(cur)
        elif f[0] in ("G", "C"):
            pass
        elif f[0] == "V":
            cur["wins"].append((cpu_of[int(f[1])], int(f[2], 16), int(f[3]), int(f[4])))
        else:
            va, n, k = int(f[0], 16), int(f[1]), (len(f) - 2) // 2
            s = sym(va)
            for j in range(k):
                if f[2 + j] != "0":
                    cur["all"][s][cpu_of[j]] += n * int(f[2 + j])
                if f[2 + k + j] != "0":
                    cur["win"][s][cpu_of[j]] += n * int(f[2 + k + j])
    return phases


def group_of(name, groups):
    for label, rx in groups:
        if re.search(rx, name):
            return label
    return None


MEASURED_CPU = 2   # IMS_CPU_MEASURED of vfio_intr_bench.c
PACE_CPU = 1


def main():
    addrs, names = load_symbols(sys.argv[1])
    phases = load_counts(sys.argv[2], addrs, names)
    byrow = {}
    for line in open(sys.argv[3]):
        m = re.match(r"# profile phase (\d+): (\S+), (\d+)$", line.strip())
        if m:
            byrow.setdefault(m.group(2), []).append((int(m.group(1)), int(m.group(3))))
    need = ["irq.ims.irqcpu", "irq.msix.idlecpu", "add.vdev.1", "add.vdev.1024"]
    if any(r not in byrow for r in need) or len(byrow["add.vdev.1"]) not in (1, 2) or \
            max(p for v in byrow.values() for p, _ in v) >= len(phases):
        sys.exit("profile-report: the guest's phases (%s) do not match the counts (%d phases)"
                 % (byrow, len(phases)))
    irq_entries = addrs[names.index("irq_entries_start")]

    print("# make profile: guest instructions by function (QEMU TCG plugin)")
    print()
    print("Exact counts of executed guest instructions on our bench kernel, from "
          "tools/vfio-intr/insn-profile; no clock is involved. Each phase repeats the "
          "operation of one bench row.")
    print()

    # SET_IRQS add-one
    def per_func(row, i=0):
        p, reps = byrow[row][i]
        return {k: sum(v.values()) / reps for k, v in phases[p]["all"].items()}
    reps = byrow["add.vdev.1"][0][1]
    twice = len(byrow["add.vdev.1"]) == 2
    n1a, big = per_func("add.vdev.1"), per_func("add.vdev.1024")
    n1b = per_func("add.vdev.1", 1) if twice else n1a
    funcs = set(n1a) | set(big) | set(n1b)
    base = {k: (n1a.get(k, 0) + n1b.get(k, 0)) / 2 for k in funcs}
    # The control (vfio_intr_bench.c, bench_ims_add_beside()): N = 1 while
    # another virtual device holds 1024 vectors.
    beside = per_func("add.vdev-beside.1") if "add.vdev-beside.1" in byrow else {}
    funcs |= set(beside)
    tot_base, tot_big = sum(base.values()), sum(big.values())
    tot_bes = sum(beside.values())
    print("## SET_IRQS add-one on a virtual device, all CPUs, per add (%d adds per phase)" % reps)
    print()
    print("| functions | N=1 | N=1024 | growth | N=1 beside 1024 | its growth |")
    print("|---|---:|---:|---:|---:|---:|")
    sums = collections.OrderedDict((g, [0.0, 0.0, 0.0]) for g, _ in ADD_GROUPS)
    sums["everything else"] = [0.0, 0.0, 0.0]
    for k in funcs:
        g = group_of(k, ADD_GROUPS) or "everything else"
        sums[g][0] += base.get(k, 0)
        sums[g][1] += big.get(k, 0)
        sums[g][2] += beside.get(k, 0)
    for g, (a, b, c) in sums.items():
        print("| %s | %.0f | %.0f | %+.0f | %.0f | %+.0f |" % (g, a, b, b - a, c, c - a))
    print("| **all** | **%.0f** | **%.0f** | **%+.0f (%.3fx)** | **%.0f** | **%+.0f (%.3fx)** |"
          % (tot_base, tot_big, tot_big - tot_base, tot_big / tot_base,
             tot_bes, tot_bes - tot_base, tot_bes / tot_base))
    print()
    # By CPU: the caller's (the CPU with the most of the N=1024 phase) and
    # the others'.  The bench's clock counts every CPU's instructions, so
    # work another CPU was asked for before the timed add and runs inside it
    # (nohz idle balancing after the caller's wakeup) lands in the row.
    def by_cpu(row, i=0):
        p, reps = byrow[row][i]
        c = collections.Counter()
        for v in phases[p]["all"].values():
            for cpu, n in v.items():
                c[cpu] += n / reps
        return c
    caller = by_cpu("add.vdev.1024").most_common(1)[0][0]
    cols = [("N=1", [by_cpu("add.vdev.1")] + ([by_cpu("add.vdev.1", 1)] if twice else [])),
            ("N=1024", [by_cpu("add.vdev.1024")])]
    if beside:
        cols.append(("N=1 beside 1024", [by_cpu("add.vdev-beside.1")]))
    mine = {k: sum(c[caller] for c in v) / len(v) for k, v in cols}
    rest = {k: sum(sum(c.values()) - c[caller] for c in v) / len(v) for k, v in cols}
    print("By CPU, per add: %s." % "; ".join(
        "%s: caller's CPU %.0f, other CPUs %.0f" % (k, mine[k], rest[k]) for k, _ in cols))
    print("The caller's CPU alone: N=1024 is **%.3fx** of N=1%s." % (
        mine["N=1024"] / mine["N=1"],
        ", N=1 beside 1024 %.3fx" % (mine["N=1 beside 1024"] / mine["N=1"]) if beside else ""))
    print()
    if twice:
        print("N=1 is the mean of its two phases (%.0f and %.0f)."
              % (sum(n1a.values()), sum(n1b.values())))
    # BENCH_PROFILE_ALL: every N of make bench, in its order.
    ns = sorted(int(r.split(".")[2]) for r in byrow if r.startswith("add.vdev.") and
                r.split(".")[2].isdigit())
    if len(ns) > 2:
        print()
        print("Every N, in make bench's order (per add; the caller's CPU, then the groups "
              "above on all CPUs):")
        print()
        print("| N | all | caller's CPU | other CPUs | %s |"
              % " | ".join(g.split(" (")[0] for g in sums))
        print("|---:|---:|---:|---:|%s" % ("---:|" * len(sums)))
        for n in ns:
            f, c = per_func("add.vdev.%d" % n), by_cpu("add.vdev.%d" % n)
            g = collections.OrderedDict((k, 0.0) for k in sums)
            for k, v in f.items():
                g[group_of(k, ADD_GROUPS) or "everything else"] += v
            print("| %d | %.0f | %.0f | %.0f | %s |"
                  % (n, sum(f.values()), c[caller], sum(c.values()) - c[caller],
                     " | ".join("%.0f" % v for v in g.values())))
    print()
    print("Functions that grow most from N=1 to N=1024:")
    print()
    growth = sorted(((big.get(k, 0) - base.get(k, 0), k) for k in funcs), reverse=True)[:12]
    print(", ".join("%s %+.0f" % (k, d) for d, k in growth))
    print()
    if beside:
        print("N=1024 against N=1 beside 1024 (what grows with the device's own N):")
        print()
        growth = sorted(((big.get(k, 0) - beside.get(k, 0), k) for k in funcs), reverse=True)
        print(", ".join("%s %+.0f" % (k, d) for d, k in growth[:8] + growth[-4:]))
        print()

    # Interrupts
    print("## Interrupts, per interrupt: IDT entry to iretq on the receiving CPU (window), "
          "and everything that CPU ran in the loop (all)")
    print()
    print("| row | CPU | vector | interrupts | window | %s | rest | all |"
          % " | ".join(g for g, _ in WINDOW_GROUPS))
    print("|---|---:|---:|---:|---:|%s---:|---:|" % ("---:|" * len(WINDOW_GROUPS)))
    measured = {}
    for row in ("irq.ims.irqcpu", "irq.msix.idlecpu"):
        p, n = byrow[row][0]
        wins = [w for w in sorted(phases[p]["wins"]) if w[2] >= n // 2]
        for cpu, stub, count, insns in wins:
            allcpu = sum(v.get(cpu, 0) for v in phases[p]["all"].values()) / n
            per = insns / count
            if cpu == MEASURED_CPU:
                measured[row] = (per, allcpu)
            # Functions are counted per CPU: split only a CPU with one vector
            if sum(1 for w in wins if w[0] == cpu) > 1:
                cols = ["(%d vectors)" % sum(1 for w in wins if w[0] == cpu)] + \
                    [""] * len(WINDOW_GROUPS)
            else:
                split = collections.OrderedDict((g, 0.0) for g, _ in WINDOW_GROUPS)
                for k, v in phases[p]["win"].items():
                    g = group_of(k, WINDOW_GROUPS)
                    if g and v.get(cpu):
                        split[g] += v[cpu] / count
                cols = ["%.1f" % v for v in split.values()] + ["%.1f" % (per - sum(split.values()))]
            print("| %s | %d | %#x | %d | %.1f | %s | %.0f |"
                  % (row, cpu, 0x20 + (stub - irq_entries) // 8, count, per,
                     " | ".join(cols), allcpu))
    print()
    print("CPU %d takes the measured vector, CPU %d edu's own MSI and the IMS vector that "
          "paces the MSI-X loop (vfio_intr_bench.c, IMS_CPU_*)." % (MEASURED_CPU, PACE_CPU))
    print()
    if len(measured) == 2:
        ims, msix = measured["irq.ims.irqcpu"], measured["irq.msix.idlecpu"]
        print("IMS against MSI-X on CPU %d: window **%.3fx** (%.1f / %.1f), all **%.3fx** "
              "(%.0f / %.0f)." % (MEASURED_CPU, ims[0] / msix[0], ims[0], msix[0],
                                   ims[1] / msix[1], ims[1], msix[1]))
        print()
    for row in ("irq.ims.irqcpu", "irq.msix.idlecpu"):
        p, n = byrow[row][0]
        tot = {k: v.get(MEASURED_CPU, 0) / n for k, v in phases[p]["win"].items()
               if v.get(MEASURED_CPU)}
        top = sorted(((v, k) for k, v in tot.items()), reverse=True)[:16]
        print("%s, CPU %d, in the window: %s" % (row, MEASURED_CPU,
                                                 ", ".join("%s %.0f" % (k, v) for v, k in top)))
        print()


def flat(mapfile, countfile, top):
    """All phases and CPUs together: instructions and entries per function."""
    addrs, names = load_symbols(mapfile)
    start = dict(zip(addrs, names))
    insns = collections.Counter()
    entries = collections.Counter()
    chains = collections.defaultdict(collections.Counter)

    def sym(va):
        i = bisect.bisect_right(addrs, va) - 1
        return names[i] if va >= KERNEL_START and i >= 0 else "?"
    for line in open(countfile):
        f = line.split()
        if f and f[0] == "C":
            pcs = [int(x, 16) for x in f[2:]]
            chains[sym(pcs[0])][tuple(sym(pc) for pc in pcs[1:])] += int(f[1])
            continue
        if not f or f[0] in ("W", "G", "V"):
            continue
        va, n, k = int(f[0], 16), int(f[1]), (len(f) - 2) // 2
        execs = sum(int(x) for x in f[2:2 + k])
        if va < KERNEL_START:
            name = "[user]"
        else:
            i = bisect.bisect_right(addrs, va) - 1
            name = names[i] if i >= 0 else "?"
        insns[name] += n * execs
        if start.get(va) == name:
            entries[name] += execs
    total = sum(insns.values())
    if not total:
        sys.exit("profile-report: no instructions counted (did the guest toggle counting?)")
    print("# make profile-check: guest instructions by function (QEMU TCG plugin)")
    print()
    print("%d guest instructions in all, on every CPU." % total)
    print()
    print("| function | instructions | share | entries |")
    print("| --- | ---: | ---: | ---: |")
    for name, n in insns.most_common(top):
        print("| `%s` | %d | %.2f%% | %d |" % (name, n, 100.0 * n / total, entries[name]))
    # PROFILE_CALLERS: the most frequent call chains into each function
    for callee, c in sorted(chains.items()):
        calls = sum(c.values())
        print()
        print("## Callers of `%s` (%d calls, the %d most frequent chains)" % (callee, calls, top))
        print()
        print("| calls | share | callers, nearest first |")
        print("| ---: | ---: | --- |")
        for chain, n in c.most_common(top):
            print("| %d | %.1f%% | %s |" % (n, 100.0 * n / calls, " < ".join(chain)))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--flat":
        flat(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 40)
    else:
        main()
