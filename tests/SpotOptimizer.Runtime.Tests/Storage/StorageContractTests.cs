using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Tests.Storage;

/// <summary>
/// The behaviour every storage provider must share. Each derived class supplies empty databases of one kind;
/// every test starts on a fresh one with the schema applied, so tests cannot see each other's rows.
/// </summary>
public abstract partial class StorageContractTests : IAsyncLifetime
{
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
    private readonly List<ServiceProvider> providers = [];

    /// <summary>Fails a hung test instead of hanging the run.</summary>
    protected CancellationToken Ct => timeout.Token;

    protected IGrainStateStore States { get; private set; } = null!;

    protected IReminderTable Reminders { get; private set; } = null!;

    /// <summary>The schema versions the provider must record; empty for providers without a schema.</summary>
    protected abstract IReadOnlyList<long> ExpectedSchemaVersions { get; }

    /// <summary>Creates a new, empty database (or skips the test when the provider cannot run here).</summary>
    protected abstract Task<StorageTarget> CreateEmptyDatabaseAsync();

    public async Task InitializeAsync()
    {
        var target = await CreateEmptyDatabaseAsync();
        var services = Start(target);
        await services.GetRequiredService<IStorageSchema>().ApplyAsync(Ct);
        States = services.GetRequiredService<IGrainStateStore>();
        Reminders = services.GetRequiredService<IReminderTable>();
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        timeout.Dispose();
    }

    /// <summary>A service provider plays one silo: its own stores, schema migrator and connection pool.</summary>
    private ServiceProvider Start(StorageTarget target)
    {
        var services = new ServiceCollection();
        target.Register(services);
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        return provider;
    }

    [SkippableFact]
    public async Task ApplyAsync_Twice_RecordsOneRowPerScript()
    {
        var target = await CreateEmptyDatabaseAsync();
        var schema = Start(target).GetRequiredService<IStorageSchema>();

        await schema.ApplyAsync(Ct);
        await schema.ApplyAsync(Ct);

        Assert.Equal(ExpectedSchemaVersions, await target.ReadSchemaVersionsAsync(Ct));
        await AssertUsableAsync(Start(target));
    }

    [SkippableFact]
    public async Task ApplyAsync_TwoMigratorsConcurrently_RecordsOneRowPerScript()
    {
        var target = await CreateEmptyDatabaseAsync();
        var first = Start(target);
        var second = Start(target);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var applying = new[] { first, second }.Select(silo => Task.Run(async () =>
        {
            await go.Task;
            await silo.GetRequiredService<IStorageSchema>().ApplyAsync(Ct);
        }));
        var all = Task.WhenAll(applying);
        go.SetResult();
        await all;

        Assert.Equal(ExpectedSchemaVersions, await target.ReadSchemaVersionsAsync(Ct));
        await AssertUsableAsync(first);
        await AssertUsableAsync(second);
    }

    private async Task AssertUsableAsync(IServiceProvider silo)
    {
        var key = new GrainStateKey("schema-check", Guid.NewGuid().ToString(), "state");
        var store = silo.GetRequiredService<IGrainStateStore>();
        var etag = await store.WriteAsync(key, """{"ok":true}""", null, Ct);
        Assert.Equal(etag, (await store.ReadAsync(key, Ct))?.ETag);
    }

    /// <summary>Starts all writers together; a write that loses with InconsistentStateException yields a null ETag.</summary>
    private static async Task<(int Writer, string? Etag)[]> RaceAsync(int writers, Func<int, Task<string>> write)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            await go.Task;
            try
            {
                return (writer, (string?)await write(writer));
            }
            catch (InconsistentStateException)
            {
                return (writer, null);
            }
        })).ToList();
        go.SetResult();
        return await Task.WhenAll(attempts);
    }

    /// <summary>One empty database: how a provider is registered for it, and how to see its schema bookkeeping.</summary>
    protected sealed record StorageTarget(
        Action<IServiceCollection> Register,
        Func<CancellationToken, Task<IReadOnlyList<long>>> ReadSchemaVersionsAsync);

    /// <summary>Reads schema_version through a raw connection, independent of the code under test.</summary>
    protected static async Task<IReadOnlyList<long>> ReadSchemaVersionsAsync(DbConnection connection, CancellationToken ct)
    {
        await using (connection)
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT version FROM schema_version ORDER BY version";
            await using var reader = await command.ExecuteReaderAsync(ct);
            var versions = new List<long>();
            while (await reader.ReadAsync(ct))
            {
                versions.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }

            return versions;
        }
    }

    /// <summary>The versions of the embedded scripts; asserting 001 is among them keeps the schema tests from passing vacuously.</summary>
    protected static IReadOnlyList<long> EmbeddedScriptVersions(string dialect)
    {
        var versions = SchemaScript.For(dialect).Select(script => (long)script.Version).ToList();
        Assert.Contains(1L, versions);
        return versions;
    }
}
