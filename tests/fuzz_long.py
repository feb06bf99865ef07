"""Long fuzzing runs (``make fuzz``): many more examples than ``make test`` runs.

    python tests/fuzz_long.py                   # hypothesis, ~30x the examples of make test
    python tests/fuzz_long.py --examples 10000  # scale (per-test examples ≈ n × base / 50)

It prints how many generated inputs were read, per kind (yaml, csv, xlsx, variant, plan,
upload: the workbench's upload handling, in-process, on damaged YAML, zip and xlsx bytes),
the time and the peak memory, and fails below 10,000 inputs (``--min-inputs``) or above
2 GB. The generators put hostile values (integers of 5,000 digits, misfit tags, pins of
centuries, ...) where values go in every form, then cut and damage the bytes.
    python tests/fuzz_long.py --atheris -runs=100000 [-max_total_time=600]

The hypothesis mode runs ``tests/test_fuzz_inputs.py`` with ``SCHEDULER_FUZZ_EXAMPLES``
set (its tests read it to raise their ``max_examples``), plus the random-damage tests of
``tests/test_bad_input.py``. The ``--atheris`` mode (needs the optional ``atheris``
package: ``pip install -e '.[fuzz]'``) feeds coverage-guided bytes to the scenario,
variant and plan loaders; anything but a result or an InputError is a crash, and
libFuzzer prints the input that caused it. Extra arguments go to libFuzzer.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
KINDS = (".yaml", ".xlsx", "csv", "variant", "plan")  # what the first byte selects


MIN_INPUTS = 10_000  # generated inputs a full run must read
MAX_PEAK_MB = 2048  # peak resident memory of the test process
MIN_UPLOADS = 1_000  # of them web uploads (scaled down with --min-inputs)


def run_hypothesis(examples: int, extra: list[str], min_inputs: int = MIN_INPUTS) -> int:
    """Run the fuzz tests; print inputs read per kind, time and peak memory.

    Every generated input is read within ``one_input`` (tests/test_fuzz_inputs.py): a
    traceback (anything but a result or an InputError) or a read over 10 s fails its test.
    """
    with tempfile.NamedTemporaryFile(prefix="fuzz-tally-", delete=False) as handle:
        tally = Path(handle.name)
    env = {**os.environ, "SCHEDULER_FUZZ_EXAMPLES": str(examples),
           "SCHEDULER_FUZZ_TALLY": str(tally)}
    tests = ["tests/test_fuzz_inputs.py", "tests/test_bad_input.py", "-k",
             "random or truncated or damage or variant", "-p", "no:cacheprovider", *extra]
    began = time.perf_counter()
    code = subprocess.call([sys.executable, "-m", "pytest", "-q", *tests], cwd=ROOT, env=env)
    seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    kinds = Counter(tally.read_text().split())
    tally.unlink()
    total = sum(kinds.values())
    print(f"fuzz: {total:,} generated inputs read ("
          + ", ".join(f"{kind} {n:,}" for kind, n in sorted(kinds.items()))
          + f") in {seconds:.0f} s, peak memory {peak_mb:.0f} MB; tests exit code {code}")
    if total < min_inputs:
        print(f"fuzz: fewer than {min_inputs:,} inputs; raise --examples")
        return code or 1
    uploads = MIN_UPLOADS * min_inputs // MIN_INPUTS
    if kinds["upload"] < uploads:
        print(f"fuzz: fewer than {uploads:,} web uploads; raise --examples")
        return code or 1
    if peak_mb > MAX_PEAK_MB:
        print(f"fuzz: peak memory over {MAX_PEAK_MB} MB")
        return code or 1
    return code


def _corpus(folder: Path) -> Path:
    """Seed inputs: the fixture scenario in each form, prefixed with its kind byte."""
    from scheduler.io import load_scenario, write_scenario

    xlsx = folder / "tiny.xlsx"
    write_scenario(load_scenario(FIXTURES / "tiny.yaml"), xlsx)
    seeds = {0: (FIXTURES / "tiny.yaml").read_bytes(), 1: xlsx.read_bytes(),
             2: (FIXTURES / "tiny_csv" / "learners.csv").read_bytes(),
             3: f"base: {FIXTURES / 'tiny.yaml'}\nchanges:\n  - set_policy: {{max_travel_km: 50}}\n"
                .encode(),
             4: b"learner,month,organisation,department,buddy,placement,status\n"
                b"T1,2027-09,ZGT,ZGT-GER,b-ger-1,1,placed\n"}
    corpus = folder / "corpus"
    corpus.mkdir()
    for kind, data in seeds.items():
        (corpus / f"seed-{kind}").write_bytes(bytes([kind]) + data)
    return corpus


def run_atheris(args: list[str]) -> int:
    import atheris

    with atheris.instrument_imports(include=["scheduler"]):
        from scheduler.errors import InputError
        from scheduler.io import load_scenario, read_plan_csv

        try:
            from scheduler.variants import load_variant
        except ImportError:
            load_variant = None
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    tiny_csv = FIXTURES / "tiny_csv"
    base = load_scenario(FIXTURES / "tiny.yaml")

    def one_input(data: bytes) -> None:
        if not data:
            return
        kind, payload = KINDS[data[0] % len(KINDS)], data[1:]
        try:
            if kind in (".yaml", ".xlsx"):
                path = work / f"input{kind}"
                path.write_bytes(payload)
                load_scenario(path)
            elif kind == "csv":
                folder = work / "csv"
                folder.mkdir(exist_ok=True)
                for f in tiny_csv.iterdir():
                    (folder / f.name).write_bytes(f.read_bytes())
                (folder / "learners.csv").write_bytes(payload)
                load_scenario(folder / "tiny.yaml")
            elif kind == "variant" and load_variant is not None:
                path = work / "variant.yaml"
                path.write_bytes(payload)
                load_variant(path, base=base)
            elif kind == "plan":
                path = work / "plan.csv"
                path.write_bytes(payload)
                read_plan_csv(path)
        except InputError:
            pass

    corpus = _corpus(work)
    atheris.Setup([sys.argv[0], *args, str(corpus)], one_input)
    atheris.Fuzz()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=1600,
                        help="SCHEDULER_FUZZ_EXAMPLES for the hypothesis tests (default 1600: "
                             "about 11,500 generated inputs)")
    parser.add_argument("--min-inputs", type=int, default=MIN_INPUTS,
                        help=f"fail below this many inputs read (default {MIN_INPUTS:,})")
    parser.add_argument("--atheris", action="store_true", help="coverage-guided (atheris)")
    known, extra = parser.parse_known_args()
    sys.path.insert(0, str(ROOT))
    if known.atheris:
        return run_atheris(extra)
    return run_hypothesis(known.examples, extra, known.min_inputs)


if __name__ == "__main__":
    sys.exit(main())
