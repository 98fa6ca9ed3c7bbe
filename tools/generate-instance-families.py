#!/usr/bin/env python3
"""Regenerates Governance/InstanceFamilies.Table.cs from the data pack's instance-types.csv.

Usage: tools/generate-instance-families.py <path to instance-types.csv>
"""
import collections
import csv
import sys

families = collections.OrderedDict()
for row in csv.DictReader(open(sys.argv[1])):
    family = families.setdefault(row["family"], {"arch": set(), "gpu": set(), "min": 10**9, "max": 0, "cat": row["category"]})
    family["arch"].add(row["arch"])
    if row["gpu_count"] and row["gpu_count"] != "0":
        family["gpu"].add(row["gpu_name"] or "gpu")
    family["min"] = min(family["min"], int(row["vcpu"]))
    family["max"] = max(family["max"], int(row["vcpu"]))

lines = []
for name in sorted(families):
    f = families[name]
    arch = " | ".join("Architecture." + ("Arm64" if a == "arm64" else "X64") for a in sorted(f["arch"]))
    gpu = "null" if not f["gpu"] else '"' + "/".join(sorted(f["gpu"])) + '"'
    lines.append(f'        ["{name}"] = new("{name}", "{f["cat"]}", {arch}, {gpu}, {f["min"]}, {f["max"]}),')

print("""// Generated from the public AWS instance-type data (instance_type, family, arch, vcpu, gpu columns; us-east-1,
// via aws/karpenter-provider-aws). Do not edit by hand: InstanceFamiliesTests re-derives this table from the data
// pack and fails when they disagree. Regenerate with tools/generate-instance-families.py.
namespace SpotOptimizer.Governance;

public static partial class InstanceFamilies
{
    private static readonly Dictionary<string, InstanceFamily> Table = new(StringComparer.Ordinal)
    {
""" + "\n".join(lines) + """
    };
}""")
