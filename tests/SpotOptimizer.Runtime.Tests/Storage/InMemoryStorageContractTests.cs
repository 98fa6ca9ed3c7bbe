using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Tests.Storage;

/// <summary>The in-memory providers obey the same contract, so unit tests on them predict the databases.</summary>
public sealed class InMemoryStorageContractTests : StorageContractTests
{
    /// <summary>No schema, so nothing is recorded (the schema tests still check the no-op applies cleanly).</summary>
    protected override IReadOnlyList<long> ExpectedSchemaVersions => [];

    protected override Task<StorageTarget> CreateEmptyDatabaseAsync() =>
        Task.FromResult(new StorageTarget(
            services => services.AddInMemoryStorage(),
            _ => Task.FromResult<IReadOnlyList<long>>([])));
}
