namespace SpotOptimizer.Runtime.Storage;

/// <summary>The in-memory providers need no schema; start-up still calls <see cref="IStorageSchema.ApplyAsync"/>.</summary>
internal sealed class NoOpStorageSchema : IStorageSchema
{
    public Task ApplyAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
