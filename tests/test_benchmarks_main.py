"""``python -m benchmarks NAME --option``: the options go to the named benchmark, not taken for names."""

from __future__ import annotations

from benchmarks.__main__ import split_args


def test_options_after_the_name_go_to_the_benchmark():
    assert split_args(["ocr", "--set", "hard"]) == (["ocr"], ["--set", "hard"])


def test_names_alone_and_nothing():
    assert split_args(["ocr", "qr"]) == (["ocr", "qr"], [])
    assert split_args([]) == ([], [])
