using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public interface IContextGrain : IGrainWithStringKey
{
    /// <summary>Reads a request-context value after a delay, so concurrent calls queue behind each other.</summary>
    Task<string?> ReadAfter(string key, int delayMs);

    /// <summary>Reads the value through a call to another grain.</summary>
    Task<string?> ReadVia(string otherKey, string key);
}

public sealed class ContextGrain : Grain, IContextGrain
{
    public async Task<string?> ReadAfter(string key, int delayMs)
    {
        await Task.Delay(delayMs);
        return RequestContext.Get(key);
    }

    public Task<string?> ReadVia(string otherKey, string key) => GrainFactory.GetGrain<IContextGrain>(otherKey).ReadAfter(key, 1);
}
