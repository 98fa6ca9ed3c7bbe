using Microsoft.Extensions.Hosting;
using SpotOptimizer.Storage;

namespace SpotOptimizer.Silo.Storage;

/// <summary>
/// Applies Orleans's official ADO.NET scripts (and our SQLite reminder table) as the <c>orleans</c> schema module before
/// the silo starts: versioned like our own scripts, and serialized across silos that start at once.
/// </summary>
public sealed class OrleansSchema(IRelationalDatabase database) : IHostedService
{
    public const string ResourcePrefix = "SpotOptimizer.Silo.Storage.Schema.";

    public Task StartAsync(CancellationToken cancellationToken) => ApplyAsync(database, cancellationToken);

    public static Task ApplyAsync(IRelationalDatabase database, CancellationToken cancellationToken) =>
        database.ApplySchemaAsync("orleans", typeof(OrleansSchema).Assembly, ResourcePrefix, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
