#!/usr/bin/env python3
"""msa-batch benchmark: the pipeline against a standalone emulator, both as separate processes.

Usage (from the project folder, after `./mvnw -B -DskipTests package`):
    python3 bench/bench.py                      # N=2000, C=100, D=1s
    python3 bench/bench.py --n 500 --c 50 --d 2
    python3 bench/bench.py --memory 100000      # read and record a 100,000-record FASTA
    python3 bench/bench.py --extracted          # run the pipeline from the extracted jar, as deploy/README installs it
    python3 bench/bench.py --cds                # start the pipeline from a class-data-sharing archive (see README)
    python3 bench/bench.py --nightly            # the state folder already holds last night's run (schema current)
    python3 bench/bench.py --profile            # also record the pipeline with JFR (bench/work/pipeline.jfr, kept)

Prints wall time, the time to the first POST, the ideal ceil(N/C)*D, their ratio, HTTP requests per sequence by route
and job rows listed per sequence (from the emulator's /emulator/stats), CPU seconds (and per record) and peak RSS of
the pipeline process, and the records per second of each tenth of the run (from the files' times). Needs only Python 3's standard library and java.
"""
import argparse
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# BENCH_JAR: another build to measure (e.g. a copy of the jar before a change, for a same-hour comparison)
JAR = os.environ.get("BENCH_JAR", os.path.join(ROOT, "target", "msa-batch.jar"))
AMINO = "ACDEFGHIKLMNPQRSTVWY"
# The pipeline's JVM settings for the benchmark (also README's advice for production runs).
PIPELINE_JVM = ["-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"] + os.environ.get("BENCH_JVM_EXTRA", "").split()
EMULATOR_JVM = ["-Xmx1g"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generate(path, n, seed=42):
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for i in range(n):
            length = rnd.randint(80, 400)
            seq = "".join(rnd.choice(AMINO) for _ in range(length))
            f.write(f">bench{i:06d} random protein {length} aa\n")
            for k in range(0, length, 60):
                f.write(seq[k:k + 60] + "\n")


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return get_json(url)
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"emulator did not answer {url} within {seconds}s")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=2000, help="sequences (default 2000)")
    p.add_argument("--c", type=int, default=100, help="max running jobs per user on the emulator (default 100)")
    p.add_argument("--d", type=float, default=1.0, help="seconds per job on the emulator (default 1)")
    p.add_argument("--memory", type=int, metavar="N", help="memory run: read and record an N-record FASTA")
    p.add_argument("--work", default=os.path.join(ROOT, "bench", "work"), help="scratch folder (wiped)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder")
    p.add_argument("--profile", action="store_true", help="record the pipeline with JFR into the scratch folder")
    p.add_argument("--stragglers", type=int, default=0, help="the first K jobs stay PENDING for an hour")
    p.add_argument("--nightly", action="store_true",
                   help="start as every night but the first does: the state folder already holds a 20-record run of "
                        "yesterday, so the database exists and its schema is current")
    p.add_argument("--extracted", action="store_true",
                   help="run the pipeline from the jar extracted with -Djarmode=tools (deploy/README's install)")
    p.add_argument("--cds", action="store_true",
                   help="run the pipeline from the extracted jar with a CDS archive made by a 20-record training run")
    a = p.parse_args()
    if not os.path.isfile(JAR):
        raise SystemExit(f"{JAR} not found: build it first with ./mvnw -B -DskipTests package")
    n = a.memory or a.n
    c = a.c if not a.memory else max(a.c, 1000)
    d = a.d if not a.memory else 0.0

    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    fasta = os.path.join(a.work, f"random-{n}.fasta")
    t0 = time.monotonic()
    generate(fasta, n)
    print(f"generated {n} random proteins (80-400 aa, seed 42) in {time.monotonic() - t0:.1f} s: {fasta}")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    emu_log = open(os.path.join(a.work, "emulator.log"), "w")
    emulator = subprocess.Popen(
        ["java", *EMULATOR_JVM, "-jar", JAR, "emulator", f"--port={port}",
         f"--emulator.data-dir={os.path.join(a.work, 'emulator-data')}",
         f"--emulator.max-running-jobs-per-user={c}", f"--emulator.job-duration={int(d * 1000)}ms",
         "--emulator.msa-mode=seed-only", f"--emulator.straggler-first={a.stragglers}",
         *os.environ.get("BENCH_EMULATOR_ARGS", "").split()],
        stdout=emu_log, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        wait_for(base + "/emulator/stats")
        creds = os.path.join(a.work, "credentials.properties")
        with open(creds, "w") as f:
            f.write("username=demo\npassword=demo\n")

        def pipeline(jvm, jar, fasta_in, out_name, log_name, extra=()):
            return (["java", *PIPELINE_JVM, *jvm, "-jar", jar, "run", "--config=jobs-config/example.yml",
                     f"--input={fasta_in}", f"--output={os.path.join(a.work, out_name)}",
                     f"--openprotein.base-url={base}", f"--openprotein.credentials-file={creds}", *extra,
                     *os.environ.get("BENCH_PIPELINE_ARGS", "").split()],
                    os.path.join(a.work, log_name))

        jar, jvm = JAR, []
        if a.extracted or a.cds:
            app = os.path.join(a.work, "app")
            subprocess.check_call(["java", "-Djarmode=tools", "-jar", JAR, "extract", "--destination", app,
                                   "--application-filename", "msa-batch.jar"], stdout=subprocess.DEVNULL, cwd=ROOT)
            jar = os.path.join(app, "msa-batch.jar")
        if a.cds:
            archive = os.path.join(app, "msa-batch.jsa")
            train = os.path.join(a.work, "train.fasta")
            generate(train, 20, seed=7)
            t0 = time.monotonic()
            cmd, logf = pipeline([f"-XX:ArchiveClassesAtExit={archive}"], jar, train, "train-out", "train.log")
            with open(logf, "w") as log:
                subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
            print(f"CDS archive from a 20-record training run in {time.monotonic() - t0:.1f} s: {archive}")
            jvm = [f"-XX:SharedArchiveFile={archive}"]
        state_dir = os.path.join(a.work, "state")
        state = [f"--pipeline.state-dir={state_dir}"] if a.nightly else []
        if a.nightly:
            last_night = os.path.join(a.work, "last-night.fasta")
            generate(last_night, 20, seed=11)
            yesterday = (date.today() - timedelta(days=1)).isoformat()
            cmd, logf = pipeline(jvm, jar, last_night, "last-night-out", "last-night.log",
                                 state + [f"--pipeline.run-date={yesterday}"])
            with open(logf, "w") as log:
                if subprocess.call(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT) != 0:
                    raise SystemExit(f"last night's 20-record run failed: see {logf}")
            print(f"last night ({yesterday}): 20 records in the state folder {state_dir}")
        before = get_json(base + "/emulator/stats")
        if a.profile:
            jvm = jvm + [f"-XX:StartFlightRecording=filename={os.path.join(a.work, 'pipeline.jfr')},settings=profile"]
            a.keep = True
        cmd, logf = pipeline(jvm, jar, fasta, "out", "pipeline.log", state)
        print("running:", " ".join(cmd))
        first_post = [None]
        start = time.monotonic()

        def watch_first_post():
            while first_post[0] is None and time.monotonic() - start < 120:
                try:
                    if get_json(base + "/emulator/stats")["submissions_since_start"] > before["submissions_since_start"]:
                        first_post[0] = time.monotonic() - start
                        return
                except OSError:
                    pass
                time.sleep(0.02)

        import threading
        watcher = threading.Thread(target=watch_first_post, daemon=True)
        watcher.start()
        with open(logf, "w") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
            _, status, usage = os.wait4(proc.pid, 0)  # this process's own CPU time and peak RSS
            proc.returncode = rc = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - start
        stats = get_json(base + "/emulator/stats")
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
        emu_log.close()

    with open(os.path.join(a.work, "pipeline.log")) as f:
        tail = f.read().strip().splitlines()[-3:]
    out_dir = os.path.join(a.work, "out")
    times = sorted(os.stat(os.path.join(out_dir, x)).st_mtime for x in os.listdir(out_dir) if x.endswith(".a3m"))
    files = len(times)
    tenths = []
    if files >= 20:
        step = files // 10
        marks = [times[0]] + [times[min(files - 1, k * step - 1)] for k in range(1, 11)]
        for k in range(10):
            span = marks[k + 1] - marks[k]
            tenths.append(step / span if span > 0 else float("inf"))
    ideal = math.ceil(n / c) * d
    per_route = {k: (v - before.get("requests_by_route", {}).get(k, 0)) / n
                 for k, v in sorted(stats.get("requests_by_route", {}).items())}
    total_per_seq = (stats.get("requests_total", 0) - before.get("requests_total", 0)) / n
    cpu = usage.ru_utime + usage.ru_stime
    rss_mb = usage.ru_maxrss / 1024
    print()
    print("\n".join("  pipeline: " + t for t in tail))
    print(f"exit code            {rc}")
    print(f"files written        {files} of {n}")
    print(f"wall time            {wall:.1f} s (whole process, JVM start included)")
    if first_post[0] is not None:
        print(f"first POST after     {first_post[0]:.2f} s")
    if ideal > 0:
        print(f"ideal ceil(N/C)*D    {ideal:.1f} s   (N={n}, C={c}, D={d:g}s)")
        print(f"ratio                {wall / ideal:.2f}")
    print(f"requests/sequence    {total_per_seq:.2f} total")
    for route, v in per_route.items():
        print(f"    {v:6.3f}  {route}")
    listed = stats.get("jobs_listed", 0) - before.get("jobs_listed", 0)
    print(f"job rows listed/seq  {listed / n:.2f}")
    print(f"CPU                  {cpu:.1f} s ({cpu * 1000 / n:.2f} ms per record; user {usage.ru_utime:.1f} s, "
          f"system {usage.ru_stime:.1f} s)")
    if tenths:
        print("records/s by tenth   " + " ".join(f"{t:.0f}" for t in tenths)
              + f"   (last/first {tenths[-1] / tenths[0]:.2f})")
    print(f"peak RSS             {rss_mb:.0f} MB")
    print()
    print("| date | start | N | C | D | wall time | ideal | ratio | requests/seq | CPU | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    ratio = f"{wall / ideal:.2f}" if ideal > 0 else "-"
    how = ("CDS" if a.cds else "java -jar, extracted" if a.extracted else "java -jar") + (", nightly" if a.nightly else "")
    print(f"| {date.today()} | {how} | {n} | {c} | {d:g} s | {wall:.1f} s | {ideal:.0f} s | {ratio} | {total_per_seq:.2f} | "
          f"{cpu:.1f} s | {rss_mb:.0f} MB |")
    if not a.keep:
        shutil.rmtree(a.work, ignore_errors=True)
    return 0 if rc in (0,) else rc


if __name__ == "__main__":
    sys.exit(main())
