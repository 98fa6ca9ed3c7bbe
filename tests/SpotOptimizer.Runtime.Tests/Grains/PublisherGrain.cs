using SpotOptimizer.Runtime;
using SpotOptimizer.Runtime.Streams;

namespace SpotOptimizer.Runtime.Tests.Grains;

public sealed record Progress(string Cluster, int Step);

public interface IPublisherGrain : IGrainWithStringKey
{
    Task Publish(int steps);
}

/// <summary>Publishes to a stream keyed by its own id; it knows nothing about who listens.</summary>
public sealed class PublisherGrain(IStreamProvider streams) : Grain, IPublisherGrain
{
    public async Task Publish(int steps)
    {
        var stream = streams.GetStream<Progress>(new StreamId("progress", GetPrimaryKeyString()));
        for (var step = 1; step <= steps; step++) await stream.OnNextAsync(new Progress(GetPrimaryKeyString(), step));
    }
}
