using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Commands;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.SafeMode;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Agent.Tests.Commands;

/// <summary>
/// The agent's real command classes between a small simulated cluster (its Kubernetes API on a loopback port, with the
/// write overlay) and <see cref="FakePlatform"/>. The cluster: node-a and node-b (Spot, NodePool general), node-c
/// (On-Demand, NodePool steady); web (2 replicas, one on a and b, a PDB whose minAvailable the test sets), api (a, c),
/// the do-not-disrupt ledger on c, three DaemonSet pods on every node and a mirror pod on node-a.
/// </summary>
internal sealed class CommandHarness : IAsyncDisposable
{
    private CommandHarness(SimulatedClusterHost kubernetes, FakePlatform platform, AgentOptions options, TimeProvider time, KubernetesOverlay overlay)
    {
        (Host, Platform, Options, Overlay) = (kubernetes, platform, options, overlay);
        Client = kubernetes.Client();
        Reachability = new PlatformReachability(time);
        var http = new HttpClient(new ReachabilityHandler(Reachability) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = platform.BaseAddress };
        Channel = new CommandChannel(http, FakePlatform.Token);
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var nodes = new NodeCommands(Client);
        var nodePools = new NodePoolPolicy(Client);
        SafeMode = new SafeModeController(Reachability, nodePools, Channel, wrapped, time, NullLogger<SafeModeController>.Instance);
        Runner = new CommandRunner(nodes, new NodeDrain(Client, nodes, wrapped, time), nodePools, SafeMode, Channel, NullLogger<CommandRunner>.Instance);
        Poller = new CommandPoller(Channel, Runner, SafeMode, wrapped, time, NullLogger<CommandPoller>.Instance);
        NodePools = nodePools;
    }

    /// <summary>The web PDB's minAvailable, read on every request: a test frees the budget by lowering it.</summary>
    public int WebMinAvailable { get; set; } = 1;

    public bool LedgerDoNotDisrupt { get; set; } = true;

    public bool NodeADoNotDisrupt { get; set; }

    public SimulatedClusterHost Host { get; }

    public IKubernetes Client { get; }

    public FakePlatform Platform { get; }

    public AgentOptions Options { get; }

    public KubernetesOverlay Overlay { get; }

    public PlatformReachability Reachability { get; }

    public CommandChannel Channel { get; }

    public SafeModeController SafeMode { get; }

    public CommandRunner Runner { get; }

    public CommandPoller Poller { get; }

    public NodePoolPolicy NodePools { get; }

    public static async Task<CommandHarness> StartAsync(AgentOptions? options = null, TimeProvider? time = null)
    {
        var overlay = new KubernetesOverlay();
        CommandHarness? harness = null;
        var kubernetes = await SimulatedClusterHost.StartAsync(() => harness!.Objects(), overlay);
        var platform = await FakePlatform.StartAsync();
        return harness = new CommandHarness(kubernetes, platform,
            options ?? new AgentOptions { DrainTimeout = TimeSpan.FromSeconds(20), EvictionRetry = TimeSpan.FromMilliseconds(50), CommandWait = TimeSpan.Zero },
            time ?? TimeProvider.System, overlay);
    }

    public async Task<V1Node> NodeAsync(string name) => await Client.CoreV1.ReadNodeAsync(name);

    public async Task<List<string>> PodsOnAsync(string node) =>
        [.. (await Client.CoreV1.ListPodForAllNamespacesAsync()).Items.Where(p => p.Spec.NodeName == node).Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}").Order(StringComparer.Ordinal)];

    private KubernetesObjects Objects()
    {
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        InventoryNode Node(string name, string capacity, string pool, bool doNotDisrupt = false) =>
            new(name, $"i-{name}", "m6i.large", "us-east-1a", capacity, null, pool, new InventoryResources(1930, 7000, 29), [], [], created, doNotDisrupt);
        InventoryPod Pod(string ns, string name, string workload, string kind, string node, bool doNotDisrupt = false) =>
            new(name, ns, workload, kind, node, 100, 128, null, null, 0, doNotDisrupt);
        var inventory = new AgentInventory(
            [Node("node-a", "spot", "general", NodeADoNotDisrupt), Node("node-b", "spot", "general"), Node("node-c", "on_demand", "steady")],
            [
                Pod("shop", "web-1", "web", "Deployment", "node-a"), Pod("shop", "web-2", "web", "Deployment", "node-b"),
                Pod("shop", "api-1", "api", "Deployment", "node-a"), Pod("shop", "api-2", "api", "Deployment", "node-c"),
                Pod("data", "ledger-0", "ledger", "StatefulSet", "node-c", LedgerDoNotDisrupt),
            ],
            [
                new InventoryWorkload("shop", "web", "Deployment", 2, PdbMinAvailable: WebMinAvailable),
                new InventoryWorkload("shop", "api", "Deployment", 2),
                new InventoryWorkload("data", "ledger", "StatefulSet", 1),
            ],
            new InventoryResources(150, 300, 3));
        var objects = KubernetesObjects.From(inventory);
        objects.Pods.Items.Add(new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "node-proxy-node-a", NamespaceProperty = "kube-system", Uid = "mirror-node-a", Annotations = new Dictionary<string, string> { [NodeDrain.MirrorAnnotation] = "mirror-hash" } },
            Spec = new V1PodSpec { NodeName = "node-a", Containers = [new V1Container { Name = "proxy", Image = "registry.example/proxy:1" }] },
            Status = new V1PodStatus { Phase = "Running" },
        });
        return objects;
    }

    public async ValueTask DisposeAsync()
    {
        Poller.Dispose();
        Client.Dispose();
        await Host.DisposeAsync();
        await Platform.DisposeAsync();
    }
}
