"""A generated stand-in for the course's malaria cell images, so that a CNN training check
runs without the course's files.

One cell per 64x64 RGB image; parasitized cells hold 1-3 small dark purple spots. The overall
brightness and tint vary from image to image, so the mean colour does not give the class away:
a model has to find the spots.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from grader.data.common import read_only
from grader.data.images import CELL_CLASSES, ImageDataset, Images, Labels, check_limit

CELL_SIZE = 64
CELL_RENDER_BLOCK = 64  # generated images rendered at a time (bounds the temporary arrays)
NOISE = 0.025  # std of the pixel noise of generated images, on the [0, 1] scale
CELLS_DESCRIPTION = (
    "Generated stand-in for the malaria cell images: {n_train} training and {n_test} test "
    "64x64 RGB images of one cell each, balanced, seed {seed}; 1 = parasitized (1-3 small dark "
    "purple spots), 0 = uninfected; brightness and tint vary, so the mean colour does not tell."
)


# --- generated cells ------------------------------------------------------------------------------


def make_cell_images(n_train: int = 600, n_test: int = 200, seed: int = 0) -> ImageDataset:
    """A generated stand-in for the malaria cell images: one cell per 64x64 RGB image.

    Each image is a light, noisy background with a pink-purple cell disc (radius 18-28 px, near
    the middle, random tint, soft edge) and a few faint lighter patches. A parasitized cell
    (label 1) also holds 1-3 dark purple spots of radius 2-4 px. The brightness of the whole
    image varies, so the mean colour does not separate the classes; the spots do. Each split is
    balanced (one more uninfected image when its size is odd). The default call is cached.

    Args:
        n_train: Number of training images (at least 2).
        n_test: Number of test images (at least 2).
        seed: Seed of the generator: the same arguments always give the same images.

    Returns:
        The data set, pixels uint8, scale 1/255, classes ("uninfected", "parasitized").

    Raises:
        DatasetError: A size is smaller than 2.
    """
    if (n_train, n_test, seed) == (600, 200, 0):
        return _default_cell_images()
    return _make_cell_images(n_train, n_test, seed)


@functools.cache
def _default_cell_images() -> ImageDataset:
    return _make_cell_images(600, 200, 0)


def _make_cell_images(n_train: int, n_test: int, seed: int) -> ImageDataset:
    check_limit("n_train", n_train)
    check_limit("n_test", n_test)
    rng = np.random.default_rng(seed)
    labels = np.concatenate([_balanced_labels(n_train, rng), _balanced_labels(n_test, rng)])
    params = _draw_cell_params(labels, rng)
    images = np.concatenate(
        [
            _render_cells(params, slice(start, start + CELL_RENDER_BLOCK), rng)
            for start in range(0, len(labels), CELL_RENDER_BLOCK)
        ]
    )
    return ImageDataset(
        name="cells",
        description=CELLS_DESCRIPTION.format(n_train=n_train, n_test=n_test, seed=seed),
        X_train=read_only(images[:n_train], np.uint8),
        y_train=read_only(labels[:n_train], np.int64),
        X_test=read_only(images[n_train:], np.uint8),
        y_test=read_only(labels[n_train:], np.int64),
        classes=CELL_CLASSES,
        scale=1.0 / 255.0,
    )


def _balanced_labels(n: int, rng: np.random.Generator) -> Labels:
    return rng.permutation(np.arange(n, dtype=np.int64) % 2)


def _draw_cell_params(labels: Labels, rng: np.random.Generator) -> dict[str, np.ndarray[Any, Any]]:
    """Every random choice of every image except the pixel noise, drawn in a fixed order."""
    n = len(labels)
    max_spots, max_patches = 3, 4
    radius = rng.uniform(18.0, 28.0, n)
    centre = CELL_SIZE / 2 + rng.uniform(-5.0, 5.0, (n, 2))
    params: dict[str, np.ndarray[Any, Any]] = {
        "brightness": rng.uniform(0.68, 1.0, n),  # the whole image: hides the spots' darkening
        "background": np.array([0.93, 0.89, 0.92]) + rng.uniform(-0.05, 0.05, (n, 3)),
        "cell": np.array([0.86, 0.56, 0.72]) + rng.uniform(-0.08, 0.08, (n, 3)),
        "spot": np.array([0.32, 0.12, 0.40]) + rng.uniform(-0.06, 0.06, (n, 3)),
        "radius": radius,
        "centre": centre,
        "edge": rng.uniform(1.0, 3.0, n),
    }
    # Faint lighter patches in every cell (both classes), and the dark spots of parasitized ones.
    n_patches = rng.integers(0, max_patches + 1, n)
    params["patch_on"] = np.arange(max_patches) < n_patches[:, None]
    params["patch_radius"] = rng.uniform(2.0, 5.0, (n, max_patches))
    params["patch_gain"] = rng.uniform(0.03, 0.08, (n, max_patches))
    params["patch_centre"] = _points_in_disc(centre, radius, params["patch_radius"] + 2.0, rng)
    n_spots = rng.integers(1, max_spots + 1, n) * labels
    params["spot_on"] = np.arange(max_spots) < n_spots[:, None]
    params["spot_radius"] = rng.uniform(2.0, 4.0, (n, max_spots))
    params["spot_centre"] = _points_in_disc(centre, radius, params["spot_radius"] + 3.0, rng)
    return params


def _points_in_disc(
    centre: np.ndarray[Any, Any],
    radius: np.ndarray[Any, Any],
    margin: np.ndarray[Any, Any],
    rng: np.random.Generator,
) -> np.ndarray[Any, Any]:
    """Uniform points, shape (n, k, 2), at least `margin` (n, k) inside each cell's edge."""
    reach = radius[:, None] - margin
    distance = reach * np.sqrt(rng.uniform(0.0, 1.0, margin.shape))
    angle = rng.uniform(0.0, 2 * np.pi, margin.shape)
    offset = np.stack([distance * np.cos(angle), distance * np.sin(angle)], axis=-1)
    return np.asarray(centre[:, None, :] + offset)


def _render_cells(
    params: dict[str, np.ndarray[Any, Any]], block: slice, rng: np.random.Generator
) -> Images:
    """The images of one block of the drawn parameters (the noise is drawn here, in order)."""
    p = {key: value[block].astype(np.float32) for key, value in params.items()}
    n = len(p["radius"])
    pixel = np.arange(CELL_SIZE, dtype=np.float32) + 0.5  # pixel centres

    def coverage(centre: np.ndarray[Any, Any], radius: np.ndarray[Any, Any], edge: Any) -> Any:
        """How much of each pixel a disc covers: 1 inside, 0 outside, a linear ramp between."""
        dx = pixel - centre[..., 0, None, None]  # (..., 1, W)
        dy = pixel[:, None] - centre[..., 1, None, None]  # (..., H, 1)
        distance = np.sqrt(dx * dx + dy * dy)
        return np.clip(0.5 + (radius[..., None, None] - distance) / edge, 0.0, 1.0)

    def colour(name: str) -> Any:
        return p[name][:, None, None, :]

    cell = coverage(p["centre"], p["radius"], p["edge"][:, None, None])[..., None]
    image = colour("background") * (1.0 - cell) + colour("cell") * cell
    patches = coverage(p["patch_centre"], p["patch_radius"], 1.5) * p["patch_on"][..., None, None]
    light = np.einsum("nkhw,nk->nhw", patches, p["patch_gain"])
    image += light[..., None] * cell
    spots = coverage(p["spot_centre"], p["spot_radius"], 1.0) * p["spot_on"][..., None, None]
    dark = spots.max(axis=1, initial=0.0)[..., None]
    image = image * (1.0 - dark) + colour("spot") * dark
    image *= p["brightness"][:, None, None, None]
    image += NOISE * rng.standard_normal((n, CELL_SIZE, CELL_SIZE, 3), dtype=np.float32)
    return np.rint(np.clip(image, 0.0, 1.0) * 255.0).astype(np.uint8)
