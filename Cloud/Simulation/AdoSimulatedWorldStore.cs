using System.Data.Common;
using System.Globalization;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The world in the deployment's database, SQLite or PostgreSQL, through plain ADO.NET and the same SQL on both: the
/// row of the world's seed holds the snapshot as JSON and its version (table from <see cref="SimulatedWorldSchema"/>).
/// A process that finds no row inserts <c>initial</c> unless another was first, then reads back, so processes starting
/// together end up with one world. Writers compare-and-swap on the version and redo their change on the winner's
/// result, so concurrent processes lose no update and hold no lock while a change runs. Readers keep the snapshot they
/// last decoded and only ask for the version while it still matches.
/// </summary>
/// <param name="openConnection">Opens a new connection, which the store disposes. On SQLite it should wait for a busy database (busy_timeout).</param>
/// <param name="initial">The world to store when the database holds none for its seed.</param>
public sealed class AdoSimulatedWorldStore(Func<CancellationToken, Task<DbConnection>> openConnection, SimulatedWorld initial) : ISimulatedWorldStore
{
    private const string ReadVersionSql = "SELECT version FROM simulated_world WHERE seed = @Seed";
    private const string ReadSql = "SELECT version, payload FROM simulated_world WHERE seed = @Seed";
    private const string InsertSql = "INSERT INTO simulated_world (seed, version, payload) VALUES (@Seed, @Version, @Payload) ON CONFLICT DO NOTHING";
    private const string ReplaceSql = "UPDATE simulated_world SET version = @Next, payload = @Payload WHERE seed = @Seed AND version = @Version";

    private SimulatedWorldSnapshot? _decoded;

    public int Seed => initial.Seed;

    public async Task<SimulatedWorldSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await openConnection(cancellationToken);
        return await ReadAsync(connection, cancellationToken);
    }

    public async Task<T> UpdateAsync<T>(Func<SimulatedWorldSnapshot, (SimulatedWorldSnapshot Next, T Result)> change, CancellationToken cancellationToken)
    {
        await using var connection = await openConnection(cancellationToken);
        while (true)
        {
            var current = await ReadAsync(connection, cancellationToken);
            var (next, result) = change(current);
            if (ReferenceEquals(next, current)) return result;
            next = next with { Version = current.Version + 1 };
            var payload = SimulatedWorldJson.Serialize(next);
            if (await ExecuteAsync(connection, ReplaceSql, [("Seed", Seed), ("Version", current.Version), ("Next", next.Version), ("Payload", payload)], cancellationToken) == 1)
            {
                Volatile.Write(ref _decoded, next);
                return result;
            }
        }
    }

    private async Task<SimulatedWorldSnapshot> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var decoded = Volatile.Read(ref _decoded);
        if (decoded is not null && await ReadVersionAsync(connection, cancellationToken) == decoded.Version) return decoded;
        var snapshot = await ReadSnapshotAsync(connection, cancellationToken);
        if (snapshot is null)
        {
            var payload = SimulatedWorldJson.Serialize(SimulatedWorldSnapshot.Initial(initial));
            await ExecuteAsync(connection, InsertSql, [("Seed", Seed), ("Version", SimulatedWorldSnapshot.InitialVersion), ("Payload", payload)], cancellationToken);
            snapshot = await ReadSnapshotAsync(connection, cancellationToken)
                ?? throw new InvalidOperationException($"The simulated world of seed {Seed} was inserted but cannot be read back.");
        }

        Volatile.Write(ref _decoded, snapshot);
        return snapshot;
    }

    private async Task<long?> ReadVersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, ReadVersionSql, [("Seed", Seed)]);
        return await command.ExecuteScalarAsync(cancellationToken) is { } version and not DBNull
            ? Convert.ToInt64(version, CultureInfo.InvariantCulture)
            : null;
    }

    private async Task<SimulatedWorldSnapshot?> ReadSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, ReadSql, [("Seed", Seed)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? SimulatedWorldJson.Deserialize(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Parameters are named without a prefix, which both Microsoft.Data.Sqlite and Npgsql bind to <c>@Name</c>.</summary>
    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
