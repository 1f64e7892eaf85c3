"""Street grid, blocks and lots of a generated city district, in Lambert metres.

Everything is built in a local frame (x along the streets, y across, origin
at the district's south-west corner) and placed in the agency's Lambert CRS
by a rotation and a translation, so the district is not axis-aligned (real
plans never are). Lots are made with numpy in bulk so that a million of them
take seconds.
"""
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity

LOT_WIDTH = 20.0  # m, frontage of a standard lot
LOT_DEPTH = 25.0  # m
LOTS_PER_ROW = 8
BLOCK_WIDTH = LOT_WIDTH * LOTS_PER_ROW  # 160 m
BLOCK_DEPTH = 2 * LOT_DEPTH  # two rows of lots back to back: 50 m
STREET = 12.0  # m, local street
BOULEVARD = 20.0  # m, every BOULEVARD_EVERY-th street


@dataclass
class CityGrid:
    """A district of blocks. Coordinates of the local frame are metres."""

    nx: int
    ny: int
    origin: tuple  # Lambert (x, y) of the local frame's origin
    rotation: float  # degrees, counter-clockwise
    block_x0: np.ndarray  # (nx,) left edge of each block column, local
    block_y0: np.ndarray  # (ny,) bottom edge of each block row, local
    street_x: list  # [(centre, width)] streets between block columns (x = const)
    street_y: list  # [(centre, width)] streets between block rows (y = const)

    @property
    def width(self):
        return float(self.block_x0[-1] + BLOCK_WIDTH)

    @property
    def height(self):
        return float(self.block_y0[-1] + BLOCK_DEPTH)

    def place(self, geom):
        """Local-frame shapely geometry (or array of them) -> Lambert."""
        if isinstance(geom, np.ndarray):
            return self._place_array(geom)
        rotated = affinity.rotate(geom, self.rotation, origin=(0, 0))
        return affinity.translate(rotated, *self.origin)

    def _place_array(self, geoms):
        angle = np.radians(self.rotation)
        cos, sin = np.cos(angle), np.sin(angle)
        ox, oy = self.origin

        def move(xy):
            x, y = xy[:, 0], xy[:, 1]
            return np.column_stack((x * cos - y * sin + ox, x * sin + y * cos + oy))

        return shapely.transform(geoms, move)

    def local_point(self, fx, fy):
        """Local coordinates of the point at fractions (fx, fy) of the district."""
        return fx * self.width, fy * self.height


def _street_widths(count, rng_offset):
    return np.array([BOULEVARD if (i + rng_offset) % 4 == 0 else STREET for i in range(count)])


def make_grid(n_blocks, centre, rotation):
    """A grid of about `n_blocks` blocks, roughly square, centred on Lambert `centre`."""
    pitch_x, pitch_y = BLOCK_WIDTH + STREET, BLOCK_DEPTH + STREET
    nx = max(2, int(round(np.sqrt(n_blocks * pitch_y / pitch_x))))
    ny = max(2, int(np.ceil(n_blocks / nx)))
    sx = _street_widths(nx - 1, 1)
    sy = _street_widths(ny - 1, 2)
    block_x0 = np.concatenate(([0.0], np.cumsum(BLOCK_WIDTH + sx)))
    block_y0 = np.concatenate(([0.0], np.cumsum(BLOCK_DEPTH + sy)))
    street_x = [(block_x0[i] + BLOCK_WIDTH + w / 2, w) for i, w in enumerate(sx)]
    street_y = [(block_y0[i] + BLOCK_DEPTH + w / 2, w) for i, w in enumerate(sy)]
    width, height = block_x0[-1] + BLOCK_WIDTH, block_y0[-1] + BLOCK_DEPTH
    # Put the district's centre on `centre` after rotating about the local origin.
    angle = np.radians(rotation)
    cx, cy = width / 2, height / 2
    rx, ry = cx * np.cos(angle) - cy * np.sin(angle), cx * np.sin(angle) + cy * np.cos(angle)
    origin = (centre[0] - rx, centre[1] - ry)
    return CityGrid(nx, ny, origin, rotation, block_x0, block_y0, street_x, street_y)


def fork(rng, skip=0):
    """A new Generator standing `skip` 64-bit draws ahead of `rng` (which is left where it is)."""
    bit_generator = type(rng.bit_generator)()
    bit_generator.state = rng.bit_generator.state
    if skip:
        bit_generator.advance(skip)
    return np.random.Generator(bit_generator)


class LotStreams:
    """The random draws of a grid's lots, each from its own position of `rng`'s stream.

    The lots were first drawn in one go: the side-line jitter of every lot row, then which lines are kept,
    then each block's depth cut (one 64-bit draw per double each). Forks of `rng` at those three positions
    draw the same numbers a chunk of rows at a time, so a district of ten million lots never sits in memory
    and is the same district as when it was drawn whole. `end` is the stream position after all of them.
    """

    def __init__(self, grid, rng):
        self.grid, n_blocks = grid, grid.nx * grid.ny
        rows = n_blocks * 2 * (LOTS_PER_ROW - 1)
        self.cuts, self.keep, self.depth = fork(rng), fork(rng, rows), fork(rng, 2 * rows)
        self.end = 2 * rows + n_blocks

    def lots(self, n_lots, blocks_per_chunk=5_000):
        """Chunks of the first `n_lots` lot polygons (Lambert arrays), in lot order; ValueError when the grid
        holds fewer. Each call draws from the saved positions afresh: the lots can be read more than once."""
        grid, n_blocks, made = self.grid, self.grid.nx * self.grid.ny, 0
        cuts, keep, depth = fork(self.cuts), fork(self.keep), fork(self.depth)
        for first in range(0, n_blocks, blocks_per_chunk):
            if made >= n_lots:
                return
            blocks = min(blocks_per_chunk, n_blocks - first)
            local = _block_lots(grid, first, cuts.uniform(-3.0, 3.0, size=(2 * blocks, LOTS_PER_ROW - 1)),
                                keep.random((2 * blocks, LOTS_PER_ROW - 1)) >= 0.1,
                                LOT_DEPTH + depth.uniform(-2.0, 2.0, size=blocks))[: n_lots - made]
            made += len(local)
            yield grid.place(local)
        if made < n_lots:
            raise ValueError(f"grid of {n_blocks} blocks holds {made} lots, fewer than {n_lots}")


def _block_lots(grid, first_block, cuts, keep, depth_cut):
    """Local-frame lot polygons of the blocks from `first_block` on, two rows of lots per block."""
    groups = len(cuts)
    inner = LOT_WIDTH * np.arange(1, LOTS_PER_ROW)  # 7 inner side lines
    edges = np.concatenate((np.zeros((groups, 1)), np.where(keep, inner + cuts, np.nan),
                            np.full((groups, 1), BLOCK_WIDTH)), axis=1)
    group_id = np.repeat(np.arange(groups), edges.shape[1])
    flat = edges.ravel()
    valid = ~np.isnan(flat)
    flat, group_id = flat[valid], group_id[valid]
    same = group_id[:-1] == group_id[1:]
    x0, x1, g = flat[:-1][same], flat[1:][same], group_id[:-1][same]
    block, row = g // 2, g % 2
    bx = grid.block_x0[(first_block + block) % grid.nx]
    by = grid.block_y0[(first_block + block) // grid.nx]
    y0 = np.where(row == 0, 0.0, depth_cut[block])
    y1 = np.where(row == 0, depth_cut[block], BLOCK_DEPTH)
    xs = np.stack([bx + x0, bx + x1, bx + x1, bx + x0, bx + x0], axis=1)
    ys = np.stack([by + y0, by + y0, by + y1, by + y1, by + y0], axis=1)
    # Centimetre coordinates, as a surveyor's plan gives them.
    return shapely.polygons(np.round(np.stack([xs, ys], axis=2), 2))


def make_lots(grid, rng, n_lots):
    """`n_lots` lot polygons (Lambert) filling the grid's blocks, row by row, as one array.

    Lot side lines are jittered by up to ±3 m and one lot in ten is merged with
    its neighbour, as on a real cadastral plan; lots tile each block exactly.
    `rng` moves past every draw of the grid (LotStreams.end).
    """
    streams = LotStreams(grid, rng)
    geoms = np.concatenate(list(streams.lots(n_lots)))
    rng.bit_generator.advance(streams.end)
    return geoms


def block_polygon(grid, block, row=None):
    """Local-frame polygon of block number `block` (or of one of its two lot rows)."""
    bx = grid.block_x0[block % grid.nx]
    by = grid.block_y0[block // grid.nx]
    if row is None:
        return shapely.box(bx, by, bx + BLOCK_WIDTH, by + BLOCK_DEPTH)
    y0 = by + (0 if row == 0 else LOT_DEPTH)
    return shapely.box(bx, y0, bx + BLOCK_WIDTH, y0 + LOT_DEPTH)
