#!/usr/bin/env python3
"""The last lines of ci/test.sh: one block a person reads at a glance.

    python3 ci/summary.py OUT_DIR TOTAL_SECONDS

Reads the phases file ci/test.sh wrote (name, exit code, seconds), every module's Surefire and Failsafe XML reports,
the demo's and the lab's logs. Prints tests run/failed/skipped per module (each skip with its reason), the demo's
result, the lab's scenario table, where the time went, and a closing line `summary: N passed, N failed, N skipped`.
Exits 1 when anything failed or a phase did not run.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

MODULES = ("templates", "provision", "supervisor")


def phases(out):
    rows = []
    with open(os.path.join(out, "phases")) as f:
        for line in f:
            name, rc, rest = line.rstrip("\n").split(" ", 2)
            seconds, _, note = rest.partition(" ")
            rows.append((name, int(rc), int(seconds), note))
    return rows


def module_results(module):
    """(tests, failures+errors, skipped, [(test, reason)], [(test, message)], [(class, seconds)]) or None if no reports."""
    files = sorted(glob.glob(f"{module}/target/surefire-reports/TEST-*.xml") + glob.glob(f"{module}/target/failsafe-reports/TEST-*.xml"))
    if not files:
        return None
    tests = failed = skipped = 0
    skips, failures, times = [], [], []
    for path in files:
        suite = ET.parse(path).getroot()
        times.append((suite.get("name", "?").rsplit(".", 1)[-1], float(suite.get("time", "0") or 0)))
        for case in suite.iter("testcase"):
            tests += 1
            name = case.get("classname", "?").rsplit(".", 1)[-1] + "." + case.get("name", "?")
            problem = case.find("failure") if case.find("failure") is not None else case.find("error")
            skip = case.find("skipped")
            if problem is not None:
                failed += 1
                failures.append((name, (problem.get("message") or problem.get("type") or "").strip().splitlines()[:1]))
            elif skip is not None:
                skipped += 1
                skips.append((name, (skip.get("message") or "no reason given").strip().splitlines()[0]))
    return tests, failed, skipped, skips, failures, times


def lab_table(out):
    path = os.path.join(out, "lab.log")
    if not os.path.exists(path):
        return []
    lines = open(path, errors="replace").read().splitlines()
    try:
        start = max(i for i, l in enumerate(lines) if l.strip() == "Results")
    except ValueError:
        return [l for l in lines[-5:]]
    return lines[start + 1:]


def booted_timings(out):
    """The `timing: WHAT SECONDS` lines the booted-machine harness and its ITs print, in order."""
    path = os.path.join(out, "maven.log")
    if not os.path.exists(path):
        return []
    found = []
    for line in open(path, errors="replace"):
        m = re.match(r"\s*timing: (\S+) ([0-9.]+s)\s*$", line)
        if m:
            found.append(f"{m.group(1)} {m.group(2)}")
    return found


def demo_result(out):
    path = os.path.join(out, "demo.log")
    if not os.path.exists(path):
        return "not run"
    done = [l.strip() for l in open(path, errors="replace") if " done: " in l or "timed out" in l or "did NOT" in l]
    return done[-1] if done else "no result line"


def main():
    out, total = sys.argv[1], int(sys.argv[2])
    ok = True
    passed = failed = skipped = 0
    print()
    print("=" * 100)
    print("ci/test.sh summary")
    print("-" * 100)
    print(f"{'tests':<12}{'run':>6}{'failed':>8}{'skipped':>9}")
    slow = []
    for m in MODULES:
        r = module_results(m)
        if r is None:
            print(f"{m:<12}{'not run (the build stopped before its tests, see maven.log)':>6}")
            ok = False
            continue
        tests, fails, skips, skip_list, fail_list, times = r
        print(f"{m:<12}{tests:>6}{fails:>8}{skips:>9}")
        for name, msg in fail_list:
            print(f"    FAILED  {name}: {' '.join(msg)[:160]}")
        for name, reason in skip_list:
            print(f"    skipped {name}: {reason[:160]}")
        passed += tests - fails - skips
        failed += fails
        skipped += skips
        ok = ok and fails == 0
        slow += [(f"{m}/{c}", s) for c, s in times]
    timings = booted_timings(out)
    if timings:
        print("  booted Debian 12 (ci/bastion-boot.sh): " + ", ".join(timings))
    localstack = os.path.join(out, "localstack.log")
    if os.path.exists(localstack):
        lines = [l.strip() for l in open(localstack, errors="replace") if l.strip()]
        print("  " + (lines[-1] if lines else "LocalStack: no report"))
    print("-" * 100)
    rows = phases(out)
    demo_rc = next((rc for n, rc, _, _ in rows if n == "demo"), None)
    print(f"demo: {'PASS' if demo_rc == 0 else 'FAILED'} — {demo_result(out)}")
    if demo_rc is not None:
        passed, failed = (passed + 1, failed) if demo_rc == 0 else (passed, failed + 1)
    table = lab_table(out)
    print("lab:" + ("" if table else " not run"))
    for line in table:
        print("  " + line)
    lab_rc = next((rc for n, rc, _, _ in rows if n == "lab"), None)
    lab_fails = sum(1 for l in table if l.strip().startswith("=> ") and l.strip() != "=> PASS")
    lab_passes = sum(1 for l in table if l.strip() == "=> PASS")
    passed += lab_passes
    failed += lab_fails + (1 if lab_rc not in (0, None) and lab_fails == 0 else 0)
    print("-" * 100)
    print("time: " + ", ".join(f"{n} {s // 60}m{s % 60:02d}s{' (exit ' + str(rc) + ')' if rc else ''}" for n, rc, s, _ in rows)
          + f"; total {total // 60}m{total % 60:02d}s")
    slowest = sorted(slow, key=lambda x: -x[1])[:6]
    if slowest:
        print("slowest test classes: " + ", ".join(f"{c} {s:.0f}s" for c, s in slowest))
    for n, rc, _, note in rows:
        if rc != 0:
            ok = False
            print(f"phase {n} FAILED (exit {rc}) {note}".rstrip() + f" — see target/ci/{n}.log")
    print("=" * 100)
    print(f"summary: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if ok and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
