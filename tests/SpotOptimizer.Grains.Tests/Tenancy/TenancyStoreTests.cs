using SpotOptimizer.Grains.Interfaces.Feeds;
using System.Collections.Concurrent;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Tenancy;

/// <summary>The tenancy tables on a real database: sign-up atomicity, uniqueness, isolation, revocation, activity.</summary>
public abstract class TenancyStoreTests(StorageKind storage) : IAsyncLifetime
{
    private TestSilo _silo = null!;

    private IdentityStore Identity => _silo.Services.GetRequiredService<IdentityStore>();

    private AccountDirectory Accounts => _silo.Services.GetRequiredService<AccountDirectory>();

    private AuditLedger Activity => _silo.Services.GetRequiredService<AuditLedger>();

    public async Task InitializeAsync() => _silo = await StartAsync();

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task Signup_NewEmail_CreatesOrganizationOwnerAndPlaceholderAccount()
    {
        var result = await Identity.SignupAsync("Acme", " Ops@Acme.io ", "hash", Roles.Client, default);

        var user = await Identity.FindByEmailAsync("ops@acme.io", default);
        Assert.Equal(result.User.Id, user!.Id);
        Assert.Equal(result.Organization.Id, user.OrganizationId);
        Assert.Equal("Acme", (await Identity.GetOrganizationAsync(user.OrganizationId, default))!.Name);
        var account = Assert.Single(await Accounts.ListAsync(user.OrganizationId, default));
        Assert.Null(account.AwsAccountId);
    }

    [SkippableFact]
    public async Task Signup_EmailTakenInAnotherCase_RefusedAndNothingCreated()
    {
        await Identity.SignupAsync("First", "dup@acme.io", "hash", Roles.Client, default);
        var before = (await Identity.ListOrganizationsAsync(default)).Count;

        await Assert.ThrowsAsync<DuplicateException>(() => Identity.SignupAsync("Second", "DUP@acme.io", "hash", Roles.Client, default));

        Assert.Equal(before, (await Identity.ListOrganizationsAsync(default)).Count);
    }

    [SkippableFact]
    public async Task Signup_TwentyConcurrentWithSameEmail_ExactlyOneSucceeds()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await Identity.SignupAsync($"Org {i}", "race@acme.io", "hash", Roles.Client, default);
                return true;
            }
            catch (DuplicateException)
            {
                return false;
            }
        })));

        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Single(await Identity.ListOrganizationsAsync(default), o => o.Name.StartsWith("Org ", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task BindAwsAccount_AlreadyLinkedByAnotherOrganization_Refused()
    {
        var first = await Identity.SignupAsync("A", "a@x.io", "h", Roles.Client, default);
        var second = await Identity.SignupAsync("B", "b@x.io", "h", Roles.Client, default);
        await Accounts.BindAwsAccountAsync(first.Organization.Id, first.PlaceholderAccount.Id, "111122223333", default);

        await Assert.ThrowsAsync<DuplicateException>(() =>
            Accounts.BindAwsAccountAsync(second.Organization.Id, second.PlaceholderAccount.Id, "111122223333", default));

        Assert.Null((await Accounts.GetAsync(second.Organization.Id, second.PlaceholderAccount.Id, default))!.AwsAccountId);
    }

    [SkippableFact]
    public async Task GetAccount_OfAnotherOrganization_NotFound()
    {
        var first = await Identity.SignupAsync("A", "a2@x.io", "h", Roles.Client, default);
        var second = await Identity.SignupAsync("B", "b2@x.io", "h", Roles.Client, default);

        Assert.Null(await Accounts.GetAsync(second.Organization.Id, first.PlaceholderAccount.Id, default));
        Assert.NotNull(await Accounts.GetAsync(first.Organization.Id, first.PlaceholderAccount.Id, default));
    }

    [SkippableFact]
    public async Task RevokedToken_AfterRestartOnSameDatabase_StillRevoked()
    {
        await _silo.Services.GetRequiredService<RevokedTokens>().RevokeAsync("jti-1", DateTimeOffset.UtcNow.AddHours(1), default);
        await _silo.StopAsync();

        await using var restarted = await StartAsync(reuseDatabase: true);
        var revoked = restarted.Services.GetRequiredService<RevokedTokens>();
        Assert.True(revoked.IsRevoked("jti-1"));
        Assert.False(revoked.IsRevoked("jti-2"));
    }

    [SkippableFact]
    public async Task RecordActivity_Several_ListedNewestFirstScopedAndPublished()
    {
        var org = (await Identity.SignupAsync("A", "feed@x.io", "h", Roles.Client, default)).Organization.Id;
        await using var feed = await FeedRecorder.SubscribeAsync(_silo.Grains, org);

        for (var i = 0; i < 5; i++) await Activity.RecordAsync(org, "user:1", "cluster.connected", $"cluster:{i}", """{"n":1}""", default);
        await Activity.RecordAsync("other-org", "user:2", "cluster.connected", "cluster:x", null, default);

        var recent = await _silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(org, 3, default);
        Assert.Equal(["cluster:4", "cluster:3", "cluster:2"], recent.Select(e => e.Resource));
        // The sign-up's own entry may or may not arrive: it was published before the subscription.
        var published = await Eventually.Wait(
            () => Task.FromResult(feed.Events.Where(e => e.Read<LedgerEntry>().Action == "cluster.connected").ToList()), e => e.Count == 5,
            what: "published events");
        Assert.All(feed.Events, e => Assert.Equal((FeedNames.Activity, org), (e.Feed, e.OrganizationId)));
        Assert.Equal(["cluster:0", "cluster:4"], [published[0].Read<LedgerEntry>().Resource, published[4].Read<LedgerEntry>().Resource]);
    }

    private SpotOptimizer.Silo.Storage.SiloStorage? _database;

    private async Task<TestSilo> StartAsync(bool reuseDatabase = false)
    {
        if (!reuseDatabase || _database is null) _database = await storage.CreateAsync();
        return await TestSilo.StartAsync(_database);
    }
}

public sealed class SqliteTenancyStoreTests() : TenancyStoreTests(new StorageKind.Sqlite());

public sealed class PostgresTenancyStoreTests() : TenancyStoreTests(new StorageKind.Postgres());
