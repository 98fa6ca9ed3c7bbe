using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>The simulated API's events, listed and watched by the real client the agent uses, filtered by fieldSelector as the API server filters.</summary>
public sealed class KubernetesEventWatchTests
{
    private readonly List<Corev1Event> _events = [Event("node-a.1", "Node", "SpotInterrupted"), Event("web-0.1", "Pod", "Killing")];

    [Fact]
    public async Task List_FieldSelector_OnlyMatchingEvents_UnsupportedFieldIs400()
    {
        await using var api = await SimulatedClusterHost.StartAsync(Objects);
        using var client = api.Client();

        var nodes = await client.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: "involvedObject.kind=Node");
        var none = await client.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: "involvedObject.kind==Node,reason!=SpotInterrupted");
        var all = await client.CoreV1.ListEventForAllNamespacesAsync();
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: "message=x"));

        Assert.Equal(["node-a.1"], nodes.Items.Select(e => e.Metadata.Name));
        Assert.Empty(none.Items);
        Assert.Equal(["node-a.1", "web-0.1"], all.Items.Select(e => e.Metadata.Name));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Response.StatusCode);
        Assert.Contains("field label not supported: message", refused.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_FromTheListsVersion_StreamsOnlyNewMatchingEvents()
    {
        await using var api = await SimulatedClusterHost.StartAsync(Objects);
        using var client = api.Client();
        var list = await client.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: "involvedObject.kind=Node");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, e) in client.CoreV1.WatchListEventForAllNamespacesAsync(
                               fieldSelector: "involvedObject.kind=Node", resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 30, cancellationToken: stop.Token))
            {
                seen.Add((type, e.Metadata.Name));
                if (e.Metadata.Name == "node-b.1") return;
            }
        });

        lock (_events)
        {
            _events.Add(Event("web-1.1", "Pod", "Killing"));
            _events.Add(Event("node-b.1", "Node", "SpotRebalanceRecommendation"));
        }

        await watching;
        Assert.Equal([(WatchEventType.Added, "node-b.1")], seen);
    }

    private KubernetesObjects Objects()
    {
        lock (_events)
        {
            return new KubernetesObjects(new V1NodeList { Items = [] }, new V1PodList { Items = [] }, new V1PodDisruptionBudgetList { Items = [] },
                new V1ReplicaSetList { Items = [] }, new V1DeploymentList { Items = [] }, new V1StatefulSetList { Items = [] }, new V1DaemonSetList { Items = [] })
            {
                Events = new Corev1EventList { Items = [.. _events.Select(e => KubernetesJson.Deserialize<Corev1Event>(KubernetesJson.Serialize(e)))] },
            };
        }
    }

    private static Corev1Event Event(string name, string kind, string reason) => new()
    {
        ApiVersion = "v1", Kind = "Event",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        InvolvedObject = new V1ObjectReference { Kind = kind, Name = name[..name.IndexOf('.', StringComparison.Ordinal)] },
        Reason = reason, Type = "Normal",
    };
}
