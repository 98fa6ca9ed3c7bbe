using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>
/// Deleted organizations, whose tokens are refused: a token names its organization, so one small set refuses every
/// outstanding token of every erased user without a lookup per request. Held in memory like
/// <see cref="RevokedTokens"/>: loaded at start and reloaded every <see cref="RevokedTokens.RefreshInterval"/>, so
/// a deletion on one instance reaches the others sharing the database.
/// </summary>
public sealed partial class ErasedOrganizations(TenancyDatabase db)
{
    private ConcurrentDictionary<string, byte> _erased = new(StringComparer.Ordinal);

    public bool Contains(string organizationId) => Volatile.Read(ref _erased).ContainsKey(organizationId);

    /// <summary>Known here at once; the row (written in the erasure's transaction) tells the other instances.</summary>
    internal void Add(string organizationId) => Volatile.Read(ref _erased)[organizationId] = 0;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<string>(new CommandDefinition("SELECT organization_id FROM erased_organizations", cancellationToken: cancellationToken));
        var loaded = new ConcurrentDictionary<string, byte>(ids.Select(id => KeyValuePair.Create(id, (byte)0)), StringComparer.Ordinal);
        foreach (var id in Volatile.Read(ref _erased).Keys) loaded.TryAdd(id, 0);
        Volatile.Write(ref _erased, loaded);
    }

    /// <summary>Loads the set when the host starts (after the schema) and keeps it in step with the other instances.</summary>
    internal sealed class Refresher(ErasedOrganizations erased, TimeProvider time, ILogger<ErasedOrganizations> logger)
        : DatabaseLoop(RevokedTokens.RefreshInterval, time, logger)
    {
        protected override string What => "Reloading erased organizations";

        protected override bool RunAtStart => true;

        protected override Task RunOnceAsync(CancellationToken cancellationToken) => erased.LoadAsync(cancellationToken);
    }
}
