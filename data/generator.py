"""Deterministic sample data: four urban agencies with their plans and parcels.

generate(parcels=N, seed=S) always returns the same dataset for the same
(N, S): a plan d'aménagement of a district of Tétouan (EPSG:26191) in three
versions (superseded 2009, in force 2019, a draft whose one-month public inquiry is open on the day the
data is generated: `today` − 12 days to `today` + 18 days, so the demo always has an inquiry to show),
a smaller plan of Guelmim (EPSG:26192), and small plans of Laâyoune (EPSG:26194)
and Dakhla (EPSG:26195), the Sahara zones. All geometries are shapely
objects in the agency's Lambert CRS (metres), except agency territories,
which come from the real provinces in data/boundaries/ (lon/lat, ODbL).
"""
import datetime
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely
from shapely.geometry import LineString, Point, box

from plans.boundaries import province
from plans.crs import transform_shapely

from . import city
from .rules import RULES

GENERATOR_VERSION = 3
DEFAULT_SEED = 20261123
DEFAULT_PARCELS = 6000
EQUIPMENT_CYCLE = ["E", "C", "M", "S", "L", "SP", "A", "P", "PL", "MA"]
EQUIPMENT_LABELS = {
    "E": ("École", "مدرسة"), "C": ("Collège", "إعدادية"), "L": ("Lycée", "ثانوية"), "M": ("Mosquée", "مسجد"),
    "S": ("Centre de santé", "مركز صحي"), "A": ("Administration", "إدارة"), "SP": ("Terrain de sport", "ملعب رياضي"),
    "P": ("Parking", "موقف سيارات"), "PL": ("Place publique", "ساحة عمومية"), "MA": ("Marché", "سوق"),
}


@dataclass
class ServitudeSpec:
    kind: str
    code: str
    label_fr: str
    label_ar: str
    geom: object  # Lambert
    width: float | None = None
    rule_fr: str = ""
    rule_ar: str = ""


@dataclass
class PlanSpec:
    reference: str
    version: int
    kind: str
    title_fr: str
    title_ar: str
    status: str
    perimeter: object  # Lambert polygon
    zones: list  # [(code, Lambert polygon)]
    servitudes: list
    rule_overrides: dict = field(default_factory=dict)  # code -> {field: value}
    decree_reference: str = ""
    decree_date: datetime.date | None = None
    effective_date: datetime.date | None = None
    expiry_date: datetime.date | None = None
    superseded_on: datetime.date | None = None
    inquiry_start: datetime.date | None = None
    inquiry_end: datetime.date | None = None
    scale_denominator: int = 2000

    @property
    def codes(self):
        return sorted({code for code, _ in self.zones})


@dataclass
class AgencySpec:
    code: str
    name_fr: str
    name_ar: str
    srid: int
    address_fr: str
    address_ar: str
    jurisdiction: object  # lon/lat MultiPolygon
    communes: list  # [(code, name_fr, name_ar, Lambert polygon)]
    plans: list
    parcels: "ParcelSource"

    def parcel_chunks(self, size=100_000):
        """The agency's parcels as (titles, Lambert polygons, areas on title m²) arrays of at most `size`."""
        return self.parcels.chunks(size)

    # The whole arrays, for small datasets (tests and oracles): a large one is read with parcel_chunks.
    @cached_property
    def _parcel_arrays(self):
        chunks = list(self.parcel_chunks())
        return tuple(np.concatenate([c[k] for c in chunks]) for k in range(3))

    @property
    def parcel_titles(self):
        return self._parcel_arrays[0]

    @property
    def parcel_geoms(self):  # Lambert polygons
        return self._parcel_arrays[1]

    @property
    def parcel_area_on_title(self):
        return self._parcel_arrays[2]


@dataclass
class SampleDataset:
    seed: int
    parcels: int
    agencies: list

    @property
    def fingerprint(self):
        return fingerprint(self.parcels, self.seed)


def fingerprint(parcels, seed):
    """What identifies a generated dataset: same fingerprint, same data (so loaders can skip it)."""
    return f"v{GENERATOR_VERSION}-seed{seed}-parcels{parcels}"


def zone_cells(grid, step_x, step_y, offset):
    """Rectangular zone cells (local frame) whose sides cut through blocks, not along streets."""
    margin = 30.0
    xs = np.arange(-margin, grid.width + margin, step_x)[1:]
    ys = np.arange(-margin, grid.height + margin, step_y)[1:]
    xs = np.concatenate(([-margin], xs + offset, [grid.width + margin]))
    ys = np.concatenate(([-margin], ys + offset / 2, [grid.height + margin]))
    xs, ys = np.unique(np.clip(xs, -margin, grid.width + margin)), np.unique(np.clip(ys, -margin, grid.height + margin))
    return [(box(xs[i], ys[j], xs[i + 1], ys[j + 1]), i, j) for j in range(len(ys) - 1) for i in range(len(xs) - 1)]


def wadi_line(grid):
    """The wadi crossing the district (local frame): a meander along 35 % of its height."""
    xs = np.linspace(-40, grid.width + 40, 200)
    ys = grid.height * 0.35 + 45 * np.sin(xs / 170.0)
    return LineString(np.column_stack((xs, ys)))


def assign_codes(cells, grid, ring_codes):
    """Zone codes by distance from the district centre: dense centre, villas and industry outside."""
    zones = []
    for cell, i, j in cells:
        c = cell.centroid
        d = math.hypot((c.x / grid.width - 0.5) * 2, (c.y / grid.height - 0.5) * 2) / math.sqrt(2)
        ring = min(int(d * len(ring_codes)), len(ring_codes) - 1)
        choices = ring_codes[ring]
        zones.append((choices[(i + 2 * j) % len(choices)], cell))
    return zones


def make_zones(grid, rng, cell_blocks, ring_codes):
    step_x = (city.BLOCK_WIDTH + city.STREET) * cell_blocks[0]
    step_y = (city.BLOCK_DEPTH + city.STREET) * cell_blocks[1]
    cells = zone_cells(grid, step_x, step_y, offset=city.BLOCK_WIDTH / 3)
    # Snapped to the centimetre in one pass so that zones tile the perimeter with no sliver.
    green = shapely.set_precision(wadi_line(grid).buffer(35, cap_style="flat"), 0.01)
    zones = []
    for code, cell in assign_codes(cells, grid, ring_codes):
        rest = shapely.difference(cell, green, grid_size=0.01)
        if not rest.is_empty and rest.area > 1:
            zones.append((code, rest))
    outline = box(-30, -30, grid.width + 30, grid.height + 30)
    zones.append(("EV", shapely.intersection(green, outline, grid_size=0.01)))
    return [(code, grid.place(geom)) for code, geom in zones]


def make_servitudes(grid, rng, planned_road=True, extra_road=False):
    W, H = grid.width, grid.height
    out = []
    for n, (centre, width) in enumerate(grid.street_x, start=1):
        out.append(ServitudeSpec("road", f"R{n}", f"Rue {n} ({width:.0f} m)", f"الزنقة {n} ({width:.0f} م)",
                                 grid.place(LineString([(centre, -30), (centre, H + 30)])), width))
    for n, (centre, width) in enumerate(grid.street_y, start=1):
        line = grid.place(LineString([(-30, centre), (W + 30, centre)]))
        out.append(ServitudeSpec("road", f"AV{n}", f"Avenue {n} ({width:.0f} m)", f"الشارع {n} ({width:.0f} م)",
                                 line, width))
        if n % 5 == 0:
            planned = width + 6
            strips = shapely.union(box(-30, centre - width / 2 - 3, W + 30, centre - width / 2),
                                   box(-30, centre + width / 2, W + 30, centre + width / 2 + 3))
            out.append(ServitudeSpec(
                "road_widening", f"AV{n}-E", f"Élargissement de l'avenue {n} à {planned:.0f} m",
                f"توسيع الشارع {n} إلى {planned:.0f} م", grid.place(strips), planned,
                "Bande frappée d'alignement : toute construction nouvelle y est interdite.",
                "شريط خاضع للتصفيف: يمنع فيه كل بناء جديد."))
    if planned_road:
        line = LineString([(0.12 * W, -30), (0.88 * W, H + 30)])
        out.append(ServitudeSpec("planned_road", "VP1", "Voie projetée n° 1 (30 m)", "الطريق المبرمجة رقم 1 (30 م)",
                                 grid.place(line), 30.0, "Emprise réservée à la voie publique projetée.",
                                 "حرم مخصص للطريق العمومية المبرمجة."))
        band = shapely.union(line.offset_curve(20).buffer(5, cap_style="flat"),
                             line.offset_curve(-20).buffer(5, cap_style="flat"))
        out.append(ServitudeSpec("non_aedificandi", "NA1", "Zone non aedificandi le long de la voie VP1 (10 m)",
                                 "منطقة يمنع فيها البناء على طول الطريق VP1 (10 م)", grid.place(band), None,
                                 "Aucune construction sur 10 m de part et d'autre de l'emprise de la voie.",
                                 "يمنع كل بناء على مسافة 10 م من جانبي حرم الطريق."))
    if extra_road:
        line = LineString([(-30, 0.75 * H), (W + 30, 0.70 * H)])
        out.append(ServitudeSpec("planned_road", "VP2", "Voie projetée n° 2 (24 m)", "الطريق المبرمجة رقم 2 (24 م)",
                                 grid.place(line), 24.0))
    n_blocks = grid.nx * grid.ny
    step = max(1, n_blocks // max(12, n_blocks // 25))
    counters = {}
    for k, block in enumerate(range(step // 2, n_blocks, step)):
        letter = EQUIPMENT_CYCLE[k % len(EQUIPMENT_CYCLE)]
        counters[letter] = counters.get(letter, 0) + 1
        code = f"{letter}{counters[letter]}"
        fr, ar = EQUIPMENT_LABELS[letter]
        shape = city.block_polygon(grid, block, row=None if letter in ("SP", "L", "MA") else k % 2)
        out.append(ServitudeSpec("equipment", code, f"Réservation {code} — {fr}", f"تخصيص {code} — {ar}",
                                 grid.place(shape), None, f"Terrain réservé : {fr.lower()}.",
                                 f"أرض مخصصة: {ar}."))
    medina = Point(0.15 * W, 0.85 * H).buffer(min(W, H) * 0.12, quad_segs=16)
    out.append(ServitudeSpec("heritage", "PAT1", "Périmètre de protection de la médina", "محيط حماية المدينة العتيقة",
                             grid.place(medina), None, "Avis conforme de l'inspection des monuments historiques.",
                             "الرأي المطابق لمفتشية المباني التاريخية."))
    out.append(ServitudeSpec("flood_zone", "INOND1", "Zone inondable de l'oued", "منطقة قابلة للفيضان للوادي",
                             grid.place(wadi_line(grid).buffer(60, cap_style="flat")), None,
                             "Constructions soumises à l'avis de l'agence du bassin hydraulique.",
                             "البناء خاضع لرأي وكالة الحوض المائي."))
    out.append(ServitudeSpec("power_line", "HT1", "Couloir de ligne haute tension 225 kV (40 m)",
                             "ممر خط الضغط العالي 225 ك.ف (40 م)",
                             grid.place(LineString([(-30, 0.9 * H), (W + 30, 0.55 * H)])), 40.0,
                             "Aucune construction dans le couloir.", "يمنع كل بناء داخل الممر."))
    return out


class ParcelSource:
    """The land titles of a district, drawn a chunk at a time, the same whatever the chunk size.

    The lots come from city.LotStreams; each title's area on the title is its surveyed area with a little
    noise (a normal draw per lot, then a uniform one: one in a hundred titles disagrees by ~4 %). Those draws
    follow the lots' in `rng`'s stream; on return `rng` stands after all of them, as if all had been drawn.
    """

    def __init__(self, grid, rng, n, office, first_number):
        self.n, self.office, self.first_number = n, office, first_number
        self._lots = city.LotStreams(grid, rng)
        self._noise = city.fork(rng, self._lots.end)
        after_noise = city.fork(self._noise)
        for start in range(0, n, 1_000_000):  # normal draws take a variable number of 64-bit draws
            after_noise.normal(0.0, 0.003, size=min(1_000_000, n - start))
        self._off = city.fork(after_noise)
        rng.bit_generator.state = city.fork(after_noise, n).bit_generator.state

    def chunks(self, size):
        """(titles, Lambert polygons, areas on title) arrays of at most `size` parcels, in title order.

        Each call draws afresh from the saved positions, so the source can be read more than once."""
        noise, off = city.fork(self._noise), city.fork(self._off)
        start = 0
        blocks = max(1, size // (2 * city.LOTS_PER_ROW))  # a block holds at most 16 lots
        for geoms in self._lots.lots(self.n, blocks_per_chunk=blocks):
            k = len(geoms)
            numbers = self.first_number + start + np.arange(k)
            is_requisition = (numbers % 20) == 7
            titles = np.where(is_requisition, [f"R {m}/{self.office}" for m in numbers],
                              [f"TF {m}/{self.office}" for m in numbers])
            on_title = 1 + noise.normal(0.0, 0.003, size=k) + np.where(off.random(k) < 0.01, 0.04, 0.0)
            yield titles, geoms, np.round(shapely.area(geoms) * on_title)
            start += k


def communes_from(territory_lambert, split_x, names):
    west = territory_lambert.intersection(box(-1e7, -1e7, split_x, 1e7))
    east = territory_lambert.intersection(box(split_x, -1e7, 1e7, 1e7))
    return [(code, fr, ar, geom) for (code, fr, ar), geom in zip(names, (west, east))]


def grid_for(n_parcels, centre, rotation):
    n_blocks = int(math.ceil(n_parcels / (2 * city.LOTS_PER_ROW * 0.9) * 1.05)) + 2
    return city.make_grid(n_blocks, centre, rotation)


def tetouan(rng, n_parcels, today):
    territory = province("MA-TET")
    city_centre = (503243.0, 554174.0)
    # Large benchmark districts grow towards the province's inland centre so they stay on land.
    grid = grid_for(n_parcels, (0, 0), 8.0)
    reach = min(1.0, max(grid.width, grid.height) / 26000)
    centre = (city_centre[0] + (494000 - city_centre[0]) * reach, city_centre[1] + (538000 - city_centre[1]) * reach)
    grid = grid_for(n_parcels, centre, 8.0)
    perimeter = grid.place(box(-30, -30, grid.width + 30, grid.height + 30))
    rings_v2 = [["I", "B2"], ["B3", "B4", "HE"], ["D2", "ZT", "B4"], ["D1", "ZI", "RA"]]
    rings_v1 = [["B3"], ["B4", "HE"], ["D1", "RA"], ["RA", "ZI"]]
    rings_v3 = [["I", "B2"], ["B2", "B3", "HE"], ["D2", "ZT", "B3"], ["D1", "ZI", "RA"]]
    servitudes_v2 = make_servitudes(grid, rng)
    title = ("Plan d'aménagement de Tétouan-Centre", "تصميم التهيئة لتطوان المركز")
    plans = [
        PlanSpec("pa-tetouan-centre", 1, "pa", *title, "superseded", perimeter,
                 make_zones(grid, rng, (6, 5), rings_v1), make_servitudes(grid, rng, planned_road=False),
                 decree_reference="Décret n° 2-09-187", decree_date=datetime.date(2009, 5, 12),
                 effective_date=datetime.date(2009, 6, 4), expiry_date=datetime.date(2019, 6, 4),
                 superseded_on=datetime.date(2019, 4, 18)),
        PlanSpec("pa-tetouan-centre", 2, "pa", *title, "approved", perimeter,
                 make_zones(grid, rng, (4, 3), rings_v2), servitudes_v2,
                 decree_reference="Décret n° 2-19-131", decree_date=datetime.date(2019, 3, 28),
                 effective_date=datetime.date(2019, 4, 18), expiry_date=datetime.date(2029, 4, 18)),
        PlanSpec("pa-tetouan-centre", 3, "pa", *title, "public_inquiry", perimeter,
                 make_zones(grid, rng, (4, 3), rings_v3), make_servitudes(grid, rng, extra_road=True),
                 inquiry_start=today - datetime.timedelta(days=12), inquiry_end=today + datetime.timedelta(days=18)),
    ]
    lambert_territory = transform_shapely(territory, 4326, 26191)
    split_x = centre[0] + grid.width * 0.18
    communes = communes_from(lambert_territory, split_x, [
        ("TET-01", "Tétouan", "تطوان"), ("TET-02", "Martil", "مرتيل")])
    return AgencySpec("AUT", "Agence Urbaine de Tétouan", "الوكالة الحضرية لتطوان", 26191,
                      "Avenue des FAR, Tétouan", "شارع القوات المسلحة الملكية، تطوان",
                      territory, communes, plans, ParcelSource(grid, rng, n_parcels, 19, 10001))


def guelmim(rng, n_parcels):
    territory = province("MA-GUE")
    grid = grid_for(n_parcels, (46241.0, 230401.0), -5.0)
    perimeter = grid.place(box(-30, -30, grid.width + 30, grid.height + 30))
    rings = [["B3", "ZR"], ["B4", "HE"], ["D2", "ZI"], ["RA", "D1"]]
    plans = [
        PlanSpec("pa-guelmim", 1, "pa", "Plan d'aménagement de la ville de Guelmim", "تصميم التهيئة لمدينة كلميم",
                 "approved", perimeter, make_zones(grid, rng, (2, 2), rings), make_servitudes(grid, rng),
                 decree_reference="Décret n° 2-18-402", decree_date=datetime.date(2018, 6, 21),
                 effective_date=datetime.date(2018, 7, 12), expiry_date=datetime.date(2028, 7, 12)),
    ]
    lambert_territory = transform_shapely(territory, 4326, 26192)
    communes = communes_from(lambert_territory, 46241.0 + grid.width * 0.1 - grid.width / 2, [
        ("GUE-01", "Guelmim", "كلميم"), ("GUE-02", "Asrir", "أسرير")])
    return AgencySpec("AUG", "Agence Urbaine de Guelmim", "الوكالة الحضرية لكلميم", 26192,
                      "Boulevard Mohammed V, Guelmim", "شارع محمد الخامس، كلميم",
                      territory, communes, plans, ParcelSource(grid, rng, n_parcels, 57, 2001))


# The Sahara agencies (Merchich / Sahara Nord and Sud, plans.crs.SAHARA_SRIDS): one small plan each, so that
# every Lambert zone of the country is exercised. (code, names, srid, address, province, city centre in Lambert
# metres (plans.crs, pinned shift), commune names, land-registry office, plan reference and titles, decree.)
SAHARA = [
    ("AUL", "Agence Urbaine de Laâyoune", "الوكالة الحضرية للعيون", 26194, "Avenue de la Mecque, Laâyoune",
     "شارع مكة، العيون", "MA-LAA", (427373.0, 539838.0),
     [("LAA-01", "Laâyoune", "العيون"), ("LAA-02", "Foum El Oued", "فم الواد")], 81,
     ("pa-laayoune", "Plan d'aménagement de la ville de Laâyoune", "تصميم التهيئة لمدينة العيون"),
     ("Décret n° 2-20-311", datetime.date(2020, 9, 24), datetime.date(2020, 10, 15))),
    ("AUD", "Agence Urbaine de Dakhla", "الوكالة الحضرية للداخلة", 26195, "Avenue Mohammed V, Dakhla",
     "شارع محمد الخامس، الداخلة", "MA-OUD", (426312.0, 572199.0),
     [("OUD-01", "Dakhla", "الداخلة"), ("OUD-02", "Bir Anzarane", "بئر أنزران")], 83,
     ("pa-dakhla", "Plan d'aménagement de la ville de Dakhla", "تصميم التهيئة لمدينة الداخلة"),
     ("Décret n° 2-21-540", datetime.date(2021, 7, 8), datetime.date(2021, 8, 2))),
]
SAHARA_PARCELS = 100


def sahara(rng, spec):
    code, name_fr, name_ar, srid, address_fr, address_ar, province_id, centre, commune_names, office, plan, decree = spec
    territory = province(province_id)
    grid = grid_for(SAHARA_PARCELS, centre, 12.0)
    perimeter = grid.place(box(-30, -30, grid.width + 30, grid.height + 30))
    rings = [["B3", "HE"], ["B4", "ZI"], ["D2", "RA"]]
    decree_reference, decree_date, effective_date = decree
    plans = [PlanSpec(plan[0], 1, "pa", plan[1], plan[2], "approved", perimeter,
                      make_zones(grid, rng, (2, 2), rings), make_servitudes(grid, rng, planned_road=False),
                      decree_reference=decree_reference, decree_date=decree_date, effective_date=effective_date,
                      expiry_date=_ten_years(effective_date))]
    communes = communes_from(transform_shapely(territory, 4326, srid), centre[0] + grid.width, commune_names)
    return AgencySpec(code, name_fr, name_ar, srid, address_fr, address_ar, territory, communes, plans,
                      ParcelSource(grid, rng, SAHARA_PARCELS, office, 1001))


def _ten_years(day):
    return day.replace(year=day.year + 10)


def generate(parcels=DEFAULT_PARCELS, seed=DEFAULT_SEED, today=None):
    """The sample dataset with `parcels` parcels in Tétouan (plus ~10 % of that in Guelmim, at most 2,000, and
    SAHARA_PARCELS in each Sahara agency). `today` (default: the machine's date) dates the draft's public
    inquiry; everything else depends on (parcels, seed) only."""
    today = today or datetime.date.today()
    if parcels < 100:
        raise ValueError(f"--parcels {parcels}: at least 100 parcels are needed for a plan")
    rng = np.random.default_rng(seed)
    south = min(2000, max(100, parcels // 10))
    agencies = [tetouan(rng, parcels, today), guelmim(rng, south)]
    return SampleDataset(seed, parcels, agencies + [sahara(rng, spec) for spec in SAHARA])
