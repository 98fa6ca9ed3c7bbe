using System.Threading.Channels;
using k8s;
using k8s.Models;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>The simulated API's node watch, read by the real client the agent uses: resourceVersions, event order, timeoutSeconds, 410.</summary>
public sealed class KubernetesWatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Node name → tainted; the simulated API lists it afresh on every poll, as it lists the simulated world.</summary>
    private readonly Dictionary<string, bool> _nodes = new() { ["node-a"] = false, ["node-b"] = false };

    [Fact]
    public async Task Watch_FromTheListsVersion_StreamsTheChangesAfterIt()
    {
        await using var api = await SimulatedClusterHost.StartAsync(Objects);
        using var client = api.Client();
        var list = await client.CoreV1.ListNodeAsync();
        var events = Channel.CreateUnbounded<(WatchEventType Type, V1Node Node)>();
        using var stop = new CancellationTokenSource(Patience);
        var watching = Collect(client.CoreV1.WatchListNodeAsync(resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 30, cancellationToken: stop.Token), events.Writer);

        lock (_nodes)
        {
            _nodes["node-a"] = true;
            _nodes.Remove("node-b");
        }

        var first = await events.Reader.ReadAsync(stop.Token);
        var second = await events.Reader.ReadAsync(stop.Token);
        await stop.CancelAsync();
        await watching;

        Assert.Equal(["node-a", "node-b"], list.Items.Select(n => n.Metadata.Name));
        Assert.Equal((WatchEventType.Modified, "node-a", "aws-node-termination-handler/spot-itn"), (first.Type, first.Node.Metadata.Name, first.Node.Spec.Taints.Single().Key));
        Assert.Equal((WatchEventType.Deleted, "node-b"), (second.Type, second.Node.Metadata.Name));
        var versions = new[] { list.Metadata.ResourceVersion, first.Node.Metadata.ResourceVersion, second.Node.Metadata.ResourceVersion }.Select(long.Parse).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(3, versions.Distinct().Count());
    }

    [Fact]
    public async Task Watch_WithoutAVersion_AddsEveryNodeThenEndsAtTimeoutSeconds()
    {
        await using var api = await SimulatedClusterHost.StartAsync(Objects);
        using var client = api.Client();
        var events = Channel.CreateUnbounded<(WatchEventType Type, V1Node Node)>();
        using var stop = new CancellationTokenSource(Patience);
        var started = DateTimeOffset.UtcNow;

        await Collect(client.CoreV1.WatchListNodeAsync(timeoutSeconds: 1, cancellationToken: stop.Token), events.Writer);

        Assert.False(stop.IsCancellationRequested, "the server should have ended the stream after timeoutSeconds");
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        var added = new List<(WatchEventType, string)>();
        while (events.Reader.TryRead(out var e)) added.Add((e.Type, e.Node.Metadata.Name));
        Assert.Equal([(WatchEventType.Added, "node-a"), (WatchEventType.Added, "node-b")], added);
    }

    [Fact]
    public async Task Watch_FromAVersionOlderThanKept_ErrorEvent410()
    {
        await using var api = await SimulatedClusterHost.StartAsync(Objects);
        using var client = api.Client();
        Exception? error = null;
        var events = Channel.CreateUnbounded<(WatchEventType Type, V1Node Node)>();
        using var stop = new CancellationTokenSource(Patience);

        await Collect(client.CoreV1.WatchListNodeAsync(resourceVersion: "1", timeoutSeconds: 30, onError: e => error = e, cancellationToken: stop.Token), events.Writer);

        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal((410, "Expired"), (status.Code, status.Reason));
        Assert.False(events.Reader.TryRead(out _));
    }

    private static async Task Collect(IAsyncEnumerable<(WatchEventType, V1Node)> watch, ChannelWriter<(WatchEventType, V1Node)> into)
    {
        try
        {
            await foreach (var e in watch) await into.WriteAsync(e);
        }
        catch (OperationCanceledException)
        {
            // The test stops the watch once it has what it waited for.
        }
    }

    private KubernetesObjects Objects()
    {
        lock (_nodes)
        {
            var nodes = _nodes.Select(n => new V1Node
            {
                ApiVersion = "v1", Kind = "Node",
                Metadata = new V1ObjectMeta { Name = n.Key },
                Spec = new V1NodeSpec
                {
                    ProviderID = $"aws:///us-east-1a/i-{n.Key.GetHashCode() & 0xfffffff:x8}",
                    Taints = n.Value ? [new V1Taint { Key = TerminationHandler.SpotInterruptionTaint, Effect = "NoSchedule" }] : null,
                },
            }).ToList();
            return new KubernetesObjects(new V1NodeList { Items = nodes }, new V1PodList { Items = [] }, new V1PodDisruptionBudgetList { Items = [] },
                new V1ReplicaSetList { Items = [] }, new V1DeploymentList { Items = [] }, new V1StatefulSetList { Items = [] }, new V1DaemonSetList { Items = [] });
        }
    }
}
