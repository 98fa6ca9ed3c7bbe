namespace SpotOptimizer.Testing;

/// <summary>Waits for an effect that happens on another thread (a reminder, a stream event), failing after a bound.</summary>
public static class Eventually
{
    public static async Task<T> Wait<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? within = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting for {what ?? "the condition"}; last value: {value}");
            await Task.Delay(10);
        }
    }

    public static Task<T> Wait<T>(Func<T> probe, Func<T, bool> done, TimeSpan? within = null, string? what = null) =>
        Wait(() => Task.FromResult(probe()), done, within, what);
}
