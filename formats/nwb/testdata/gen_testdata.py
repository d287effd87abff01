#!/usr/bin/python3
"""Writes the small NWB-layout files the formats/nwb tests read.

Run with the Debian python3 (h5py 3.7 on libhdf5 1.10): /usr/bin/python3 gen_testdata.py
Object time stamps are off, so two runs give the same bytes on the same library versions.

features.nwb  -- Units columns the reference fixtures lack: obs_intervals (ragged, 2 values per
                 cell), electrodes (ragged DynamicTableRegion into an electrodes table), a
                 double-ragged waveforms column (must be skipped, not decoded), a boolean column
                 (h5py enum), an int column and a uint32 spike_times_index; a DfOverF
                 RoiResponseSeries with 1-D data, starting_time 2.5 s and rate 10 Hz, whose rois
                 point to rows [2, 0] of a PlaneSegmentation with ids [10, 20, 30]; a second
                 Units table /processing/ecephys/units without spike_times; units_hidden whose
                 colnames omit spike_times; units_nocolnames without a colnames attribute.
bad.nwb       -- one faulty table or series per group, each a case the reader must reject:
                 /units_backwards, /units_pastend, /units_rows, /units_noid, /units_missingcol,
                 /series_rate0, /series_rois, /series_ts, /series_notime, /series_scalar.
"""
import sys

import h5py
import numpy as np

STR = h5py.string_dtype("utf-8")


def typed(obj, ndt, ns="core", **attrs):
    obj.attrs["namespace"] = ns
    obj.attrs["neurodata_type"] = ndt
    for k, v in attrs.items():
        obj.attrs[k] = v
    return obj


def root(f):
    f.attrs["nwb_version"] = "2.6.0"
    typed(f, "NWBFile")
    f.create_dataset("identifier", data="neurotab-nwb-testdata", dtype=STR)


def dset(g, name, data, ndt="VectorData", dtype=None, **attrs):
    d = g.create_dataset(name, data=data, dtype=dtype, track_times=False)
    return typed(d, ndt, "hdmf-common", **attrs)


def units(g, name, ids, times, index, extra=(), index_dtype=np.uint8, colnames=None):
    u = g.create_group(name, track_order=False)
    names = ["spike_times"] + [e[0] for e in extra]
    typed(u, "Units", description="test units")
    u.attrs["colnames"] = np.array(colnames if colnames is not None else names, dtype=STR)
    if ids is not None:
        dset(u, "id", np.asarray(ids, dtype=np.int64), "ElementIdentifiers")
    st = dset(u, "spike_times", np.asarray(times, dtype=np.float64))
    dset(u, "spike_times_index", np.asarray(index, dtype=index_dtype), "VectorIndex").attrs["target"] = st.ref
    for e in extra:
        e[1](u)
    return u


def main(out="."):
    with h5py.File(f"{out}/features.nwb", "w", libver="earliest", track_order=False) as f:
        root(f)
        el = f.create_group("general/extracellular_ephys/electrodes")
        typed(el, "DynamicTable", "hdmf-common", colnames=np.array(["location"], dtype=STR),
              description="electrodes")
        dset(el, "id", np.arange(4, dtype=np.int64) + 100, "ElementIdentifiers")
        dset(el, "location", np.array(["CA1", "CA1", "CA3", ""], dtype=object), dtype=STR)

        def obs(u):
            d = dset(u, "obs_intervals", np.array([[0, 10], [20, 30], [0, 30], [5, 6]], dtype=np.float64))
            dset(u, "obs_intervals_index", np.array([2, 3, 4], dtype=np.uint8), "VectorIndex").attrs["target"] = d.ref

        def electrodes(u):
            d = dset(u, "electrodes", np.array([0, 1, 2, 3, 3], dtype=np.int64), "DynamicTableRegion")
            d.attrs["table"] = el.ref
            dset(u, "electrodes_index", np.array([2, 3, 5], dtype=np.uint8), "VectorIndex").attrs["target"] = d.ref

        def waveforms(u):
            d = dset(u, "waveforms", np.zeros((6, 2), dtype=np.float32))
            i = dset(u, "waveforms_index", np.array([1, 2, 3, 4, 5, 6], dtype=np.uint8), "VectorIndex")
            i.attrs["target"] = d.ref
            dset(u, "waveforms_index_index", np.array([2, 4, 6], dtype=np.uint8), "VectorIndex").attrs["target"] = i.ref

        def good(u):
            dset(u, "good", np.array([True, False, True]))

        def depth(u):
            dset(u, "depth", np.array([-5, 0, 7], dtype=np.int32))

        units(f, "units", [7, 8, 9], [0.5, 1.5, 2.5, 3.5, 4.5, 5.5],
              [2, 2, 6], [("obs_intervals", obs), ("electrodes", electrodes), ("waveforms", waveforms),
                          ("good", good), ("depth", depth)], index_dtype=np.uint32)

        pm = typed(f.create_group("processing/ecephys"), "ProcessingModule", description="no spikes")
        nu = typed(pm.create_group("units"), "Units", colnames=np.array(["quality"], dtype=STR))
        dset(nu, "id", np.array([1, 2], dtype=np.int64), "ElementIdentifiers")
        dset(nu, "quality", np.array(["good", "mua"], dtype=object), dtype=STR)

        # spike_times left out of colnames, and a table with no colnames attribute at all.
        q = lambda u: dset(u, "quality", np.array(["good", "mua"], dtype=object), dtype=STR)
        units(pm, "units_hidden", [1, 2], [0.1, 0.2, 0.3], [1, 3], [("quality", q)], colnames=["quality"])
        h = units(pm, "units_nocolnames", [5, 6], [0.4, 0.5, 0.6], [2, 3], [("quality", q)])
        del h.attrs["colnames"]

        oph = typed(f.create_group("processing/ophys"), "ProcessingModule", description="ophys")
        ps = typed(oph.create_group("ImageSegmentation/PlaneSegmentation"), "PlaneSegmentation",
                   colnames=np.array(["label"], dtype=STR), description="rois")
        dset(ps, "id", np.array([10, 20, 30], dtype=np.int64), "ElementIdentifiers")
        dset(ps, "label", np.array(["a", "b", "c"], dtype=object), dtype=STR)
        dff = typed(oph.create_group("DfOverF"), "DfOverF")
        rrs = typed(dff.create_group("dff"), "RoiResponseSeries", description="1-D dF/F")
        d = rrs.create_dataset("data", data=np.arange(8, dtype=np.int16), track_times=False)
        d.attrs["unit"] = "percent"
        d.attrs["conversion"] = np.float32(0.5)
        d.attrs["offset"] = np.float32(-1.0)
        d.attrs["resolution"] = np.float32(0.25)
        s = rrs.create_dataset("starting_time", data=2.5, track_times=False)
        s.attrs["rate"] = np.float32(10.0)
        s.attrs["unit"] = "seconds"
        r = dset(rrs, "rois", np.array([2], dtype=np.int64), "DynamicTableRegion")
        r.attrs["table"] = ps.ref
        # A 2-ROI series pointing at rows [2, 0] with timestamps.
        rrs2 = typed(dff.create_group("dff2"), "RoiResponseSeries", description="2-D dF/F")
        rrs2.create_dataset("data", data=np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float64), track_times=False)
        rrs2.create_dataset("timestamps", data=np.array([0.0, 0.25, 1.0]), track_times=False)
        r = dset(rrs2, "rois", np.array([2, 0], dtype=np.int64), "DynamicTableRegion")
        r.attrs["table"] = ps.ref

    with h5py.File(f"{out}/bad.nwb", "w", libver="earliest", track_order=False) as f:
        root(f)
        units(f, "units_backwards", [1, 2, 3], [1, 2, 3, 4, 5], [3, 2, 5])
        units(f, "units_pastend", [1, 2], [1, 2, 3, 4, 5], [3, 10])
        loc = lambda u: dset(u, "location", np.array(["a", "b"], dtype=object), dtype=STR)
        units(f, "units_rows", [1, 2, 3], [1, 2, 3], [1, 2, 3], [("location", loc)])
        units(f, "units_noid", None, [1, 2, 3], [1, 2, 3])
        units(f, "units_missingcol", [1], [1.0], [1], colnames=["spike_times", "absent"])
        ps = typed(f.create_group("plane"), "PlaneSegmentation", colnames=np.array([], dtype=STR))
        dset(ps, "id", np.array([0, 1], dtype=np.int64), "ElementIdentifiers")
        for name, kind in [("series_rate0", "rate0"), ("series_rois", "rois"), ("series_ts", "ts"),
                           ("series_notime", "notime"), ("series_scalar", "scalar")]:
            g = typed(f.create_group(name), "RoiResponseSeries")
            g.create_dataset("data", data=(1.0 if kind == "scalar" else np.ones((3, 2))), track_times=False)
            if kind == "ts":
                g.create_dataset("timestamps", data=np.array([0.0, 1.0]), track_times=False)
            elif kind != "notime":
                s = g.create_dataset("starting_time", data=0.0, track_times=False)
                s.attrs["rate"] = 0.0 if kind == "rate0" else 1.0
            r = dset(g, "rois", np.array([0, 7] if kind == "rois" else [0, 1], dtype=np.int64), "DynamicTableRegion")
            r.attrs["table"] = ps.ref


if __name__ == "__main__":
    main(*sys.argv[1:])
