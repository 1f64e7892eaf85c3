"""GDAL may read only the formats we publish, and never the network: set once per process, for every GDAL in it.

This process loads three builds of GDAL: Debian's (Django's ctypes binding,
3.6), pyogrio's wheel and rasterio's wheel (each bundles its own). A config
option set through one of them is unknown to the others, and pyogrio's read
functions take no list of allowed drivers, so the guard works on every
libgdal mapped into the process, through its C API:

- drivers: all but ALLOWED_DRIVERS are deregistered, and GDAL_SKIP lists
  them so that a later GDALAllRegister() (rasterio calls it for each new
  environment) removes them again. Gone with them: VRT (which can name any
  local path or URL), WMS/WFS/OAPIF/HTTP and the other network drivers,
  LIBKML, raw formats whose headers point at other files, SQLite's
  VirtualOGR, GPSBabel (runs a program)…
- network: every curl request of GDAL goes to a proxy that refuses
  connections (GDAL 3.6 has no switch for "no network"; CPLHTTPFetch, used
  by GeoJSON "crs" links, ignores CPL_VSIL_CURL_ALLOWED_FILENAME, and
  /vsicurl_streaming/ of 3.6 ignores it too); /vsicurl/ and friends accept
  no file name; PROJ's network grids are off.
- side files: no .aux.xml (PAM), no Python in VRT, no MEM::: pointers.

`apply()` is called once at start-up (GeoportalConfig.ready); `status()`
says, library by library, what holds, for tests and /healthz.
"""
import ctypes
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# What users upload (GeoJSON, TopoJSON, KML, Shapefile, GeoPackage, DXF, GeoTIFF or scans with a world file) and
# what the server writes (extracts, COGs, PNG tiles); MEM/Memory are GDAL's in-memory datasets.
ALLOWED_DRIVERS = ("GeoJSON", "TopoJSON", "KML", "ESRI Shapefile", "GPKG", "DXF", "GTiff", "PNG", "JPEG", "MEM",
                   "Memory")
# A TCP port nothing listens on: curl's connection to the "proxy" is refused at once, nothing leaves the host.
DEAD_PROXY = "127.0.0.1:1"
CONFIG = {
    "GDAL_HTTP_PROXY": DEAD_PROXY,
    "GDAL_HTTPS_PROXY": DEAD_PROXY,
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/vsicurl/no-network-access://",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "GDAL_VRT_ENABLE_RAWRASTERBAND": "NO",
    "GDAL_MEM_ENABLE_OPEN": "NO",
    "GDAL_PAM_ENABLED": "NO",
    "ALLOW_OGR_SQL_FUNCTIONS_FROM_TRIGGER_AND_VIEW": "NO",
    "PROJ_NETWORK": "OFF",
    # The raster block cache (default 5 % of RAM, 1.2 GB here) is what a huge scan fills first.
    "GDAL_CACHEMAX": os.environ.get("GDAL_CACHEMAX", "256"),
}

_applied = {}


def _lib(path):
    lib = ctypes.CDLL(path)
    lib.GDALAllRegister.argtypes = []
    lib.GDALGetDriverCount.restype = ctypes.c_int
    lib.GDALGetDriver.restype = ctypes.c_void_p
    lib.GDALGetDriver.argtypes = [ctypes.c_int]
    lib.GDALGetDriverShortName.restype = ctypes.c_char_p
    lib.GDALGetDriverShortName.argtypes = [ctypes.c_void_p]
    lib.GDALDeregisterDriver.argtypes = [ctypes.c_void_p]
    lib.CPLSetConfigOption.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.CPLGetConfigOption.restype = ctypes.c_char_p
    lib.CPLGetConfigOption.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.GDALVersionInfo.restype = ctypes.c_char_p
    lib.GDALVersionInfo.argtypes = [ctypes.c_char_p]
    return lib


def _drivers(lib):
    return [lib.GDALGetDriverShortName(lib.GDALGetDriver(i)).decode() for i in range(lib.GDALGetDriverCount())]


def loaded_libraries():
    """Paths of every libgdal mapped into this process (after importing the three bindings)."""
    import pyogrio  # noqa: F401 - loads pyogrio's GDAL
    import rasterio  # noqa: F401 - loads rasterio's GDAL
    from django.contrib.gis.gdal.libgdal import lgdal  # noqa: F401 - loads Debian's GDAL

    with open("/proc/self/maps") as maps:
        found = {line.split()[-1] for line in maps if "/libgdal" in line and line.split()[-1].startswith("/")}
    return sorted(found, key=lambda p: Path(p).name)


def _harden(path):
    lib = _lib(path)
    for key, value in CONFIG.items():
        lib.CPLSetConfigOption(key.encode(), value.encode())
    lib.GDALAllRegister()
    refused = [name for name in _drivers(lib) if name not in ALLOWED_DRIVERS]
    # Comma-separated: driver names such as "ESRI Shapefile" or "UK .NTF" hold spaces.
    lib.CPLSetConfigOption(b"GDAL_SKIP", ",".join(refused).encode())
    lib.GDALAllRegister()  # ends with GDALDriverManager::AutoSkipDrivers(), which applies GDAL_SKIP
    left = [name for name in _drivers(lib) if name not in ALLOWED_DRIVERS]
    if left:
        raise ImproperlyConfigured(f"GDAL at {path} kept drivers it must not offer: {', '.join(left)}")
    return lib


def apply():
    """Harden every GDAL of this process (idempotent); raises ImproperlyConfigured if one cannot be."""
    import pyproj

    pyproj.network.set_network_enabled(False)
    paths = loaded_libraries()
    if len(paths) < 1:
        raise ImproperlyConfigured("no GDAL library found in this process to harden")
    for path in paths:
        if path not in _applied:
            _applied[path] = _harden(path)
    return paths


def status():
    """[{library, version, drivers, config}] for every GDAL of this process, as it stands now."""
    out = []
    for path in loaded_libraries():
        lib = _lib(path)
        lib.GDALAllRegister()  # what a later registration (rasterio, Django) would leave
        out.append({"library": Path(path).name, "version": lib.GDALVersionInfo(b"RELEASE_NAME").decode(),
                    "drivers": sorted(_drivers(lib)), "guarded": path in _applied,
                    "config": {key: (lib.CPLGetConfigOption(key.encode(), None) or b"").decode() for key in CONFIG}})
    return out


def summary():
    """What /healthz reports: how many GDAL builds are guarded, the drivers left, whether any is unguarded."""
    found = status()
    return {"libraries": len(found), "guarded": all(lib["guarded"] for lib in found),
            "drivers": sorted({driver for lib in found for driver in lib["drivers"]}),
            "network": "refused" if all(lib["config"]["GDAL_HTTP_PROXY"] == DEAD_PROXY for lib in found) else "open"}
