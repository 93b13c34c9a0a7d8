#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise the guest's TAP/KTAP reports and scan the kernel log for splats.

usage: tap-summary.py RUN_DIR...

Each RUN_DIR holds results.tap (what the guest init reported on ttyS1),
guest.log (the kernel console) and qemu.rc.  Leaf results of the nested TAP
are counted; a parent reported 'not ok' none of whose children failed (a
binary that crashed or exited non-zero after its tests) counts as one
failure.  Besides the tests, every run adds two checks of its own: the VM
finished (no timeout, no panic) and the kernel log has no splat.  The last
line printed is 'N passed, N failed, N skipped'; the exit status is 1 if
anything failed.
"""
import os
import re
import sys

RESULT = re.compile(r'^(?P<ind>\s*)(?P<st>not ok|ok)\b\s*(?P<num>\d+)?\s*-?\s*'
                    r'(?P<name>[^#]*?)\s*(?:#\s*(?P<dir>.*))?$')
SPLAT = re.compile(
    r'(------------\[ cut here \]------------|WARNING:|BUG:|Oops|Kernel panic|'
    r'general protection fault|KASAN:|UBSAN:|unreferenced object|'
    r'INFO: (possible|task .* blocked|rcu)|rcu: INFO|rcu_.*detected stall|'
    r'ODEBUG:|list_(add|del) corruption|Call Trace:|kernel BUG)')


def parse(lines):
    """Return (passed, failed, skipped, failure names) of one TAP stream."""
    res = []
    for line in lines:
        m = RESULT.match(line.rstrip('\r\n').expandtabs(8))
        if m:
            res.append((len(m['ind']), m['st'] == 'ok', m['name'].strip(),
                        (m['dir'] or '').strip()))
    passed = failed = skipped = 0
    failures = []
    for i, (ind, ok, name, directive) in enumerate(res):
        j = i - 1
        while j >= 0 and res[j][0] > ind:
            j -= 1
        children = res[j + 1:i]
        if not children:
            if directive.upper().startswith('SKIP'):
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
                failures.append(name + (' # ' + directive if directive else ''))
        elif not ok and all(c[1] or c[3].upper().startswith('SKIP') for c in children):
            failed += 1
            failures.append(name + ' (exit status)' + (' # ' + directive if directive else ''))
    # Prefix failing leaves with the name of the test binary they belong to.
    return passed, failed, skipped, failures


def split_selftests(lines):
    """Name each failure after the '# selftest: NAME' block it came from."""
    blocks, cur, name = [], [], None
    for line in lines:
        if line.startswith('# selftest: '):
            if cur:
                blocks.append((name, cur))
            name, cur = line[len('# selftest: '):].split()[0], []
        cur.append(line)
    if cur:
        blocks.append((name, cur))
    return blocks


def main(dirs):
    tp = tf = ts = 0
    report = []
    for d in dirs:
        run = os.path.basename(d.rstrip('/'))
        try:
            with open(os.path.join(d, 'results.tap'), errors='replace') as f:
                tap = f.read().splitlines()
        except OSError:
            tap = []
        try:
            with open(os.path.join(d, 'guest.log'), errors='replace') as f:
                log = f.read().splitlines()
        except OSError:
            log = []
        try:
            with open(os.path.join(d, 'qemu.rc')) as f:
                rc = f.read().strip()
        except OSError:
            rc = '?'

        for name, block in split_selftests(tap):
            p, fl, s, failures = parse(block)
            tp, tf, ts = tp + p, tf + fl, ts + s
            for x in failures:
                if name and x.split(' ')[0] != name:
                    x = f'{name}: {x}'
                report.append(f'FAIL [{run}] {x}')

        done = any(l.startswith('# vfio-intr: guest done') for l in tap)
        if done:
            tp += 1
        else:
            tf += 1
            why = 'timed out' if rc in ('124', '137') else f'did not finish (QEMU status {rc})'
            report.append(f'FAIL [{run}] vm: the VM {why}; see {d}/guest.log')

        splats = [i for i, l in enumerate(log) if SPLAT.search(l)]
        if splats:
            tf += 1
            first = splats[0]
            report.append(f'FAIL [{run}] kernel: {len(splats)} splat line(s) in {d}/guest.log, first:')
            report.extend('    | ' + l for l in log[max(0, first - 3):first + 25])
        else:
            tp += 1

        for l in tap:
            if l.startswith('# kmemleak:'):
                report.append(f'     [{run}] {l[2:]}')

    print()
    print('\n'.join(report) if report else 'no failures')
    for d in dirs:
        print(f'guest log: {d}/guest.log  (reports: {d}/results.tap)')
    print(f'{tp} passed, {tf} failed, {ts} skipped')
    return 1 if tf else 0


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
