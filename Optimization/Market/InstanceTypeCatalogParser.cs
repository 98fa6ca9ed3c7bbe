namespace SpotOptimizer.Optimization.Market;

/// <summary>Reads the instance-type catalog CSV (Karpenter's reference table; see the data pack's README §2).</summary>
public static class InstanceTypeCatalogParser
{
    public const string Header =
        "instance_type,family,category,generation,size,arch,vcpu,memory_mib,allocatable_cpu_m,allocatable_memory_mib,max_pods,gpu_count,gpu_name,network_bandwidth_mbps,hypervisor";

    public static IReadOnlyList<InstanceTypeInfo> Parse(TextReader reader)
    {
        CsvFields.RequireHeader(reader.ReadLine(), Header, "instance-types");
        var types = new List<InstanceTypeInfo>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = CsvFields.Split(line, ',');
            if (f.Length != 15) throw new FormatException($"line {lineNumber}: {f.Length} fields, expected 15");
            types.Add(new InstanceTypeInfo(
                Name: f[0],
                Family: f[1],
                Category: f[2],
                Generation: CsvFields.OptionalInt(f, 3, lineNumber, "generation"),
                Size: f[4],
                Architecture: ParseArchitecture(f[5], lineNumber),
                VCpu: CsvFields.Int(f, 6, lineNumber, "vcpu"),
                MemoryMiB: CsvFields.Int(f, 7, lineNumber, "memory_mib"),
                AllocatableCpuMillicores: CsvFields.Int(f, 8, lineNumber, "allocatable_cpu_m"),
                AllocatableMemoryMiB: CsvFields.Int(f, 9, lineNumber, "allocatable_memory_mib"),
                MaxPods: CsvFields.Int(f, 10, lineNumber, "max_pods"),
                GpuCount: CsvFields.OptionalInt(f, 11, lineNumber, "gpu_count"),
                GpuName: f[12].Length == 0 ? null : f[12]));
        }

        return types;
    }

    public static CpuArchitecture ParseArchitecture(string text, int lineNumber = 0) => text switch
    {
        "amd64" or "x86_64" => CpuArchitecture.Amd64,
        "arm64" => CpuArchitecture.Arm64,
        _ => throw new FormatException($"line {lineNumber}: unknown architecture '{text}'"),
    };
}
