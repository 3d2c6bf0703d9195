"""Writes the small .npy/.npz files that NpyTest reads, with numpy's own writer.

    /usr/bin/python3 tools/make_npy_test_files.py
Every array holds values the test can state by hand (mostly arange), so the files pin numpy's format, not data.
"""
import os

import numpy as np
from numpy.lib import format as npformat

OUT = "src/test/resources/org/ijgenai/core/io"


def save(name, array, version=None):
    with open(os.path.join(OUT, name), "wb") as f:
        npformat.write_array(f, array, version=version, allow_pickle=False)


def main():
    os.makedirs(OUT, exist_ok=True)
    base = np.arange(24).reshape(2, 3, 4)
    save("f4_v1.npy", (base * 0.5 - 3).astype("<f4"), version=(1, 0))
    save("f8_v2.npy", (base * 0.25 - 1).astype("<f8"), version=(2, 0))
    save("i8_v3.npy", (base - 12).astype("<i8") * 1000000000000, version=(3, 0))
    save("i4_big_endian.npy", (base - 5).astype(">i4"))
    save("u1.npy", np.array([0, 1, 127, 128, 255], dtype="u1"))
    save("b1.npy", np.array([[True, False], [False, True]]))
    save("f2.npy", np.array([0.5, -2.0, 65504.0, 1e-3], dtype="<f2"))
    save("scalar_f8.npy", np.array(3.5))
    save("empty_f4.npy", np.zeros((0, 3), dtype="<f4"))
    save("fortran_f4.npy", np.asfortranarray(base.astype("<f4")))
    np.savez(os.path.join(OUT, "plain.npz"), ids=np.array([49406, 320, 49407], dtype=np.int64),
             latents=np.arange(6, dtype=np.float32).reshape(1, 2, 3))
    np.savez_compressed(os.path.join(OUT, "compressed.npz"), x=np.arange(1000, dtype=np.float64))


if __name__ == "__main__":
    main()
