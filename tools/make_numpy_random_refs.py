"""Writes numpy's legacy RandomState draws as JSON test data for NumpyRandomStateTest.

Run with a Python that has numpy (Debian: /usr/bin/python3 with python3-numpy):
    /usr/bin/python3 tools/make_numpy_random_refs.py
Doubles are written with float.hex() so that the Java test compares them bit for bit.
"""
import json
import sys

import numpy as np

OUT = "src/test/resources/org/ijgenai/core/random/numpy_random_refs.json"


def case(seed, label):
    def fresh():
        return np.random.RandomState(seed)

    r = fresh()
    raw = [int(v) for v in r.randint(0, 2**32, size=8)]
    r = fresh()
    uniform = [float(v).hex() for v in r.random_sample(8)]
    r = fresh()
    normal = r.randn(3, 5, 7)  # odd count leaves a cached gaussian, then one more draw uses it
    after = r.randn()
    r = fresh()
    ints = {
        "small_0_10": [int(v) for v in r.randint(0, 10, size=20)],
        "neg_-5_7": [int(v) for v in r.randint(-5, 7, size=20)],
        "big_0_2e12": [int(v) for v in r.randint(0, 2 * 10**12, size=10)],
        "full_int64": [int(v) for v in r.randint(-(2**63), 2**63 - 1, size=4, dtype=np.int64)],
    }
    return {
        "label": label,
        "seed": seed if isinstance(seed, int) else list(seed),
        "seed_is_array": not isinstance(seed, int),
        "raw_uint32": raw,
        "random_sample_hex": uniform,
        "randn_3x5x7_hex": [float(v).hex() for v in normal.ravel()],
        "randn_after_hex": float(after).hex(),
        "randint": ints,
    }


def main():
    cases = [case(0, "seed 0"), case(42, "seed 42"), case(2**32 - 1, "largest seed"),
             case([1, 2, 3], "array seed [1,2,3]"), case([5], "array seed [5]")]
    doc = {"generator": "numpy " + np.__version__ + " legacy RandomState, python " + sys.version.split()[0],
           "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f)
        f.write("\n")


if __name__ == "__main__":
    main()
