using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public interface ICycleGrain : IGrainWithStringKey
{
    /// <summary>Asks <paramref name="peer"/> to call back into this grain: A→B→A.</summary>
    Task<string> CallThroughPeer(string peer, bool interleavedCallback);

    Task<string> CallBack(string origin, bool interleaved);

    Task<string> Ping();

    [AlwaysInterleave]
    Task<string> PingInterleaved();
}

public sealed class CycleGrain : Grain, ICycleGrain
{
    public Task<string> CallThroughPeer(string peer, bool interleavedCallback) =>
        GrainFactory.GetGrain<ICycleGrain>(peer).CallBack(GetPrimaryKeyString(), interleavedCallback);

    public async Task<string> CallBack(string origin, bool interleaved)
    {
        var originGrain = GrainFactory.GetGrain<ICycleGrain>(origin);
        var answer = interleaved ? await originGrain.PingInterleaved() : await originGrain.Ping();
        return $"{GetPrimaryKeyString()}<-{answer}";
    }

    public Task<string> Ping() => Task.FromResult(GetPrimaryKeyString());

    public Task<string> PingInterleaved() => Task.FromResult(GetPrimaryKeyString());
}
