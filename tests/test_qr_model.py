"""The model decoding of benchmarks/_qr_model.py (issue 17's upper-bound study): what every code shows is
known in the right places, and a smeared code that zxing-cpp cannot read is read from rough corners."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import zxingcpp

from benchmarks import _qr_model as model
from kiosk.identity.qr_deblur import blur_direction, line_kernel

PAYLOADS = ["079090000123|",
            "001092000123|123456789|Nguyễn Văn An|01011992|Nam|Số 1, phường Ba Đình, Hà Nội|15082021"]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("mask", [0, 5])
def test_the_known_modules_are_what_a_real_code_shows(payload, mask):
    code = model.symbol(payload, mask)
    known, value = model.known_modules(code.shape[0])
    bordered = np.pad(code, model.BORDER).astype(float)
    assert known.sum() > 4 * 64  # the border, three finders with separators, timing (and alignment patterns)
    assert np.array_equal(value[known], bordered[known])


def _photo(code: np.ndarray, corners: np.ndarray, smear: int, angle: float) -> np.ndarray:
    """The code drawn at 4 px a module, warped to ``corners`` (~2.3 px a module), smeared, noisy."""
    grid = np.pad(code, model.BORDER)
    big = np.kron(grid.astype(np.float32), np.ones((4, 4), np.float32))
    side = float(big.shape[0])
    h = cv2.getPerspectiveTransform(np.float32([[0, 0], [side, 0], [side, side], [0, side]]), np.float32(corners))
    dark = cv2.warpPerspective(big, h, (220, 220), flags=cv2.INTER_AREA)
    picture = 210 - 170 * cv2.filter2D(dark, -1, line_kernel(smear, angle))
    noise = np.random.default_rng(17).normal(0, 6, picture.shape)
    return np.clip(picture + noise, 0, 255).astype(np.float32)


def test_a_smeared_code_zxing_cannot_read_is_read_from_corners_refined_from_a_rough_guess():
    payload = PAYLOADS[1]
    code = model.symbol(payload, 3)
    corners = np.array([[30.0, 40.0], [172.0, 26.0], [188.0, 170.0], [44.0, 184.0]])
    photo = _photo(code, corners, 5, 30.0)
    assert not zxingcpp.read_barcodes(photo.astype(np.uint8), formats=zxingcpp.BarcodeFormat.QRCode)
    kernel = line_kernel(5, 30.0)
    known, value = model.known_modules(code.shape[0])
    rough = corners + [[1.6, -1.2], [-1.4, 1.5], [1.2, 1.3], [-1.5, -1.6]]
    refined = model.refine_corners(photo, rough, kernel, 0.0, known, value)
    assert np.abs(refined - corners).max() < 0.5
    dark = model.solve_modules(photo, refined, kernel, 0.0, known, value) > 0.5
    assert model.decode_modules(dark) == payload


def test_the_smear_and_corners_are_fitted_together_when_the_blur_is_not_known():
    payload = PAYLOADS[1]
    code = model.symbol(payload, 6)
    corners = np.array([[36.0, 30.0], [180.0, 38.0], [174.0, 182.0], [28.0, 176.0]])
    photo = _photo(code, corners, 4, 120.0)
    known, value = model.known_modules(code.shape[0])
    rough = corners + [[-1.3, 1.4], [1.5, 1.1], [-1.2, -1.5], [1.4, -1.3]]
    angle, _ = blur_direction(photo)
    refined, kernel, focus = model.refine_corners_and_blur(photo, rough, angle, known, value)
    assert np.abs(refined - corners).max() < 0.5
    assert kernel is not None
    dark = model.solve_modules(photo, refined, kernel, focus, known, value) > 0.5
    assert model.decode_modules(dark) == payload
