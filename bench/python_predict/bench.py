"""Python prediction speed: a million DPU workloads in one call from a
pandas DataFrame (name -> enum conversion, defaults, validation, prediction)
against the C++ part alone (the same columns already converted) and against
the CLI on the same rows as a CSV. Medians of --repeats runs, side by side.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_predict/bench.py [--rows 1000000]
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

import pandas as pd

import vpucost

ROOT = pathlib.Path(__file__).resolve().parents[2]


def median_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cli", default=str(ROOT / "build" / "tools" / "vpucost"))
    args = parser.parse_args()
    model_path = str(ROOT / "models" / "vpu_2_7.h5")
    model = vpucost.load_model(model_path)
    sample = pd.read_csv(ROOT / "data" / "samples" / "vpu_2_7_test.csv")
    frame = pd.concat([sample] * (args.rows // len(sample) + 1), ignore_index=True)
    frame = frame.iloc[:args.rows]
    columns = vpucost.workload_columns(frame)
    rows = []
    for threads in (1, 0):
        label = "all cores" if threads == 0 else "1 thread"
        whole = median_seconds(lambda: model.predict(frame, threads=threads), args.repeats)
        core = median_seconds(
            lambda: vpucost._vpucost._predict_columns(model, columns, threads), args.repeats)
        rows.append((f"DataFrame -> cycles ({label})", whole))
        rows.append((f"converted columns -> cycles, C++ only ({label})", core))
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "rows.csv")
        frame.to_csv(csv, index=False)
        out = os.path.join(tmp, "out.csv")
        cli = median_seconds(lambda: subprocess.run(
            [args.cli, "predict", "--model", model_path, "--csv", csv, "--out", out],
            check=True, capture_output=True), max(1, args.repeats // 2))
        rows.append(("vpucost predict --csv (CSV in and out, for scale)", cli))
    base = rows[0][1]
    print(f"{args.rows:,} workloads, VPU_2_7 model, median of {args.repeats} runs")
    print(f"{'path':58s} {'seconds':>8s} {'M rows/s':>9s} {'vs first':>9s}")
    for name, seconds in rows:
        print(f"{name:58s} {seconds:8.3f} {args.rows / seconds / 1e6:9.2f} {seconds / base:9.2f}")


if __name__ == "__main__":
    main()
