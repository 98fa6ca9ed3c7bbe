using k8s.Models;
using SpotOptimizer.Agent.Inventory;
using SpotOptimizer.Agent.Usage;

namespace SpotOptimizer.Agent.Tests.Usage;

public sealed class UsageHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static PodSample Web(string pod, DateTimeOffset at, double cpu) => new("shop", pod, "Deployment", "web", at, cpu, cpu * 2);

    [Fact]
    public void Record_SameScrapeTwice_CountedOnce()
    {
        var history = new UsageHistory(TimeSpan.FromDays(14), TimeSpan.Zero);

        Assert.Equal(2, history.Record([Web("web-a", Start, 100), Web("web-b", Start, 300)]));
        Assert.Equal(0, history.Record([Web("web-a", Start, 100), Web("web-b", Start, 300)]));
        Assert.Equal(1, history.Record([Web("web-a", Start.AddSeconds(15), 200), Web("web-b", Start, 300)]));
    }

    [Fact]
    public void Reported_PooledPodsAfterTwoScrapes_PerPodPercentilesOfAllSamples()
    {
        var history = new UsageHistory(TimeSpan.FromDays(14), TimeSpan.Zero);
        history.Record([Web("web-a", Start, 100), Web("web-b", Start, 300)]);
        Assert.Empty(history.Reported(Start));

        history.Record([Web("web-a", Start.AddMinutes(1), 100), Web("web-b", Start.AddMinutes(1), 300)]);
        var usage = history.Reported(Start.AddMinutes(1))[("shop", "Deployment", "web")];

        // Four samples 100, 100, 300, 300: p50 is 100 (within the sketch's 2 %), p95 and p99 300 (capped at the largest sample).
        Assert.Equal((Math.Round(1 / 1440.0, 6), "metrics-server", 300, 300, 600, 600),
            (usage.WindowDays, usage.Source, usage.CpuP95Millicores, usage.CpuP99Millicores, usage.MemoryP95Mib, usage.MemoryP99Mib));
        Assert.InRange(usage.CpuP50Millicores, 100, 102);
        Assert.InRange(usage.MemoryP50Mib, 200, 204);
    }

    [Fact]
    public void Reported_BetweenRefreshes_UnchangedSoThePlatformStoresNothingNew()
    {
        var history = new UsageHistory(TimeSpan.FromDays(14), TimeSpan.FromMinutes(15));
        history.Record([Web("web-a", Start, 100)]);
        history.Record([Web("web-a", Start.AddMinutes(1), 100)]);
        var first = history.Reported(Start.AddMinutes(1));

        history.Record([Web("web-a", Start.AddMinutes(2), 900), new PodSample("jobs", "report-x", "Job", "report", Start.AddMinutes(2), 10, 10)]);
        history.Record([Web("web-a", Start.AddMinutes(3), 900), new PodSample("jobs", "report-x", "Job", "report", Start.AddMinutes(3), 10, 10)]);
        var held = history.Reported(Start.AddMinutes(3));
        var refreshed = history.Reported(Start.AddMinutes(16));

        Assert.Equal(first[("shop", "Deployment", "web")], held[("shop", "Deployment", "web")]);
        // A workload seen for the first time does not wait for the refresh.
        Assert.True(held.ContainsKey(("jobs", "Job", "report")));
        Assert.Equal(900, refreshed[("shop", "Deployment", "web")].CpuP99Millicores);
    }

    [Fact]
    public void Attach_WorkloadsByNamespaceKindAndName_OthersStayNull()
    {
        var history = new UsageHistory(TimeSpan.FromDays(14), TimeSpan.Zero);
        history.Record([Web("web-a", Start, 100)]);
        history.Record([Web("web-a", Start.AddMinutes(1), 100)]);
        var report = new InventoryReport("test/1", [], [], [
            new ReportedWorkload("shop", "web", "Deployment", 1, false, null, null, null),
            new ReportedWorkload("shop", "web", "StatefulSet", 1, false, null, null, null),
        ], new ReportedResources(0, 0, 0));

        var attached = history.Attach(report, Start.AddMinutes(1));

        Assert.NotNull(attached.Workloads[0].Usage);
        Assert.Null(attached.Workloads[1].Usage);
    }

    [Fact]
    public void Samples_FromPodMetrics_OwnedAsTheInventoryOwnsThemAndInUnits()
    {
        var snapshot = Fixtures.Cluster();
        var pod = snapshot.Pods.First(p => PodMapper.IsReported(p) && p.Metadata.OwnerReferences?.Any(o => o.Kind == "ReplicaSet") == true);
        var daemon = snapshot.Pods.First(Owners.IsDaemonSetPod);
        var metrics = new[] { Metrics(pod, "250m", "128Mi"), Metrics(daemon, "5m", "20Mi"), new PodMetrics { Metadata = new V1ObjectMeta { Name = "gone", NamespaceProperty = "x" }, Containers = [] } };

        var sample = Assert.Single(PodUsageSamples.From(snapshot, metrics, Start));

        var (kind, workload) = new Owners(snapshot.ReplicaSets).Of(pod);
        Assert.Equal(new PodSample(pod.Metadata.NamespaceProperty, pod.Metadata.Name, kind, workload, Start, 500, 256), sample);
        Assert.Equal("Deployment", kind);
    }

    /// <summary>Two containers of the given usage each: the pod's usage is their sum.</summary>
    private static PodMetrics Metrics(V1Pod pod, string cpu, string memory) => new()
    {
        Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty },
        Containers =
        [
            new ContainerMetrics { Name = "a", Usage = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) } },
            new ContainerMetrics { Name = "b", Usage = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) } },
        ],
    };
}
