"""Merchich / Sahara Nord and Sud (EPSG:26194, 26195): the pinned datum shift, in PostGIS as in plans/crs.py.

PostGIS builds a transformation from a spatial_ref_sys row by trying, in order, its authority code
(auth_name:auth_srid), its WKT (srtext), its PROJ string (proj4text). For these two zones the authority code
makes PROJ look the operation up in the EPSG registry, which has none south of 27.66°N, so it would use a
"ballpark" shift (none: ~290 m off). This migration writes the zones' definitions with the Helmert of
EPSG:1166 (31, 146, 47 m, as plans/crs.py pins) into srtext and proj4text, and clears auth_srid (auth_name
stays EPSG, so the rows still say where they come from) so that PostGIS builds the transformation from them.
Values are frozen here on purpose (a migration does not import the code it migrates); plans/tests/test_crs.py
checks that PostGIS and Python agree to the millimetre.

spatial_ref_sys belongs to the postgis extension (the superuser); geoportal/bin/roles.sql grants the owner
role UPDATE on it (through the group role geoportal_spatial_ref_sys). pg_dump leaves EPSG rows of spatial_ref_sys out: after a restore, run this migration's SQL
again (`manage.py migrate plans 0010 && manage.py migrate plans`).
"""
from django.db import migrations, models

_MERCHICH_WKT = ('GEOGCS["Merchich",DATUM["Merchich",SPHEROID["Clarke 1880 (IGN)",6378249.2,293.4660212936269,'
                 'AUTHORITY["EPSG","7011"]],TOWGS84[31,146,47,0,0,0,0],AUTHORITY["EPSG","6261"]],'
                 'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,'
                 'AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4261"]]')
_ZONES = {
    # srid: (name, latitude of origin, scale factor, false easting, false northing)
    26194: ("Merchich / Sahara Nord", 26.1, "0.999616304", 1200000, 400000),
    26195: ("Merchich / Sahara Sud", 22.5, "0.999616437", 1500000, 400000),
}


def _srtext(name, lat, k, x0, y0):
    return (f'PROJCS["{name}",{_MERCHICH_WKT},PROJECTION["Lambert_Conformal_Conic_1SP"],'
            f'PARAMETER["latitude_of_origin",{lat}],PARAMETER["central_meridian",-5.4],'
            f'PARAMETER["scale_factor",{k}],PARAMETER["false_easting",{x0}],PARAMETER["false_northing",{y0}],'
            'UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["X",EAST],AXIS["Y",NORTH]]')


def _proj4(name, lat, k, x0, y0):
    return (f"+proj=lcc +lat_1={lat} +lat_0={lat} +lon_0=-5.4 +k_0={k} +x_0={x0} +y_0={y0} "
            "+ellps=clrk80ign +towgs84=31,146,47,0,0,0,0 +units=m +no_defs")


_CHECK = """DO $$ BEGIN
  IF NOT has_table_privilege('spatial_ref_sys', 'UPDATE') THEN
    RAISE EXCEPTION 'role % may not UPDATE spatial_ref_sys: run geoportal/bin/setup-services.sh (roles.sql grants '
                    'it) to pin the Sahara datum shift (EPSG:26194/26195)', current_user;
  END IF;
END $$;"""


def _pin():
    updates = [f"UPDATE spatial_ref_sys SET auth_name = 'EPSG', auth_srid = NULL, "
               f"srtext = '{_srtext(*zone)}', proj4text = '{_proj4(*zone)}' WHERE srid = {srid};"
               for srid, zone in _ZONES.items()]
    return "\n".join([_CHECK, *updates])


def _unpin():
    return "\n".join(f"UPDATE spatial_ref_sys SET auth_srid = {srid} WHERE srid = {srid};" for srid in _ZONES)


CHOICES = [(26191, "EPSG:26191 Merchich / Nord Maroc"), (26192, "EPSG:26192 Merchich / Sud Maroc"),
           (26194, "EPSG:26194 Merchich / Sahara Nord"), (26195, "EPSG:26195 Merchich / Sahara Sud")]


class Migration(migrations.Migration):
    dependencies = [("plans", "0010_provisions")]
    operations = [
        migrations.RunSQL(_pin(), _unpin()),
        migrations.AlterField("agency", "srid", models.PositiveIntegerField(
            choices=CHOICES,
            help_text="Official Lambert CRS in which the agency's plans, areas and coordinates are expressed.")),
        migrations.AlterField("plandocument", "srid", models.PositiveIntegerField(
            choices=CHOICES, help_text="Official Lambert CRS of the plan.")),
    ]
