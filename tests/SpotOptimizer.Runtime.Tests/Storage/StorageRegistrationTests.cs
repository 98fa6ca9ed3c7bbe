using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Tests.Storage;

public sealed class StorageRegistrationTests
{
    [SkippableFact]
    public void AddInMemoryStorage_Resolves_InMemoryProvidersAsSingletons()
    {
        using var services = new ServiceCollection().AddInMemoryStorage().BuildServiceProvider();

        Assert.IsType<InMemoryGrainStateStore>(services.GetRequiredService<IGrainStateStore>());
        Assert.IsType<InMemoryReminderTable>(services.GetRequiredService<IReminderTable>());
        Assert.IsType<NoOpStorageSchema>(services.GetRequiredService<IStorageSchema>());
        Assert.Same(services.GetRequiredService<IGrainStateStore>(), services.GetRequiredService<IGrainStateStore>());
    }

    [SkippableFact]
    public void AddSqliteStorage_AfterInMemory_ReplacesEveryProvider()
    {
        var collection = new ServiceCollection().AddInMemoryStorage().AddSqliteStorage("Data Source=unused.db");
        using var services = collection.BuildServiceProvider();

        Assert.Single(collection, descriptor => descriptor.ServiceType == typeof(IGrainStateStore));
        Assert.IsType<AdoGrainStateStore>(services.GetRequiredService<IGrainStateStore>());
        Assert.IsType<AdoReminderTable>(services.GetRequiredService<IReminderTable>());
        Assert.IsType<SchemaMigrator>(services.GetRequiredService<IStorageSchema>());
    }

    [SkippableFact]
    public void AddInMemoryStorage_AfterPostgres_ReplacesEveryProvider()
    {
        var collection = new ServiceCollection().AddPostgresStorage("Host=127.0.0.1").AddInMemoryStorage();
        using var services = collection.BuildServiceProvider();

        Assert.IsType<InMemoryGrainStateStore>(services.GetRequiredService<IGrainStateStore>());
        Assert.DoesNotContain(collection, descriptor => descriptor.ServiceType == typeof(NpgsqlDataSource));
    }

    [SkippableFact]
    public async Task AddPostgresStorage_ProviderDisposed_DisposesItsDataSource()
    {
        var services = new ServiceCollection().AddPostgresStorage("Host=127.0.0.1;Database=none").BuildServiceProvider();
        Assert.IsType<AdoGrainStateStore>(services.GetRequiredService<IGrainStateStore>());
        var dataSource = services.GetRequiredKeyedService<NpgsqlDataSource>(StorageRegistration.ServiceKey);

        await services.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await dataSource.OpenConnectionAsync());
    }
}
