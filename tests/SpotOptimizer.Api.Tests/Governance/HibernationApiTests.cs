using System.Net;
using System.Net.Http.Json;
using SpotOptimizer.Api.Tests.Onboarding;

namespace SpotOptimizer.Api.Tests.Governance;

public abstract class HibernationApiTests : IAsyncLifetime
{
    private SpotOptimizerApp _app = null!;
    private TenantClient _tenant = null!;
    private string _clusterId = null!;

    protected abstract bool Postgres { get; }

    public async Task InitializeAsync()
    {
        _app = await SpotOptimizerApp.CreateAsync(Postgres);
        _tenant = await TenantClient.SignUpAsync(_app);
        var accountId = await Journey.LinkAccountAsync(_tenant, "740987654321");
        _clusterId = (await Journey.ConnectFirstClusterAsync(_tenant, accountId)).ClusterId;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableTheory]
    [InlineData(167, 0, "exactly 168 values")]
    [InlineData(168, 3, "0 (asleep) or 1 (awake)")]
    public async Task Schedule_WrongMatrix_400NamingTheProblem(int length, int badValue, string expected)
    {
        var matrix = Enumerable.Repeat(1, length).ToArray();
        matrix[10] = badValue == 0 ? 1 : badValue;
        using var response = await _tenant.Http.PostAsJsonAsync("/api/hibernation/schedule", new { cluster_id = _clusterId, schedule_matrix = matrix });

        var problem = await TenantClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("errors").GetProperty("schedule_matrix")[0].GetString(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("EST5EDT-ish")]
    public async Task TimeZone_Unknown_400(string zone)
    {
        using var response = await _tenant.Http.PatchAsJsonAsync("/api/hibernation/tz", new { cluster_id = _clusterId, timezone = zone });
        var problem = await TenantClient.ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("timezone", out _));
    }

    [SkippableFact]
    public async Task ScheduleZonePrewarmOverride_StoredAndAudited()
    {
        var matrix = Enumerable.Repeat(0, 168).ToArray();
        await _tenant.PostJsonAsync("/api/hibernation/schedule", new { cluster_id = _clusterId, schedule_matrix = matrix });
        using (var tz = await _tenant.Http.PatchAsJsonAsync("/api/hibernation/tz", new { cluster_id = _clusterId, timezone = "Europe/Berlin" })) Assert.Equal(HttpStatusCode.OK, tz.StatusCode);
        using (var pre = await _tenant.Http.PatchAsJsonAsync("/api/hibernation/prewarm", new { cluster_id = _clusterId, enabled = true })) Assert.Equal(HttpStatusCode.OK, pre.StatusCode);
        var overridden = await _tenant.PostJsonAsync("/api/hibernation/override", new { cluster_id = _clusterId, duration_minutes = 90 });

        var view = await _tenant.GetJsonAsync($"/api/hibernation/{_clusterId}");
        Assert.Equal("Europe/Berlin", view.GetProperty("time_zone").GetString());
        Assert.True(view.GetProperty("prewarm").GetBoolean());
        Assert.Equal(168, view.GetProperty("schedule_matrix").GetArrayLength());
        var until = overridden.GetProperty("override_until").GetDateTimeOffset();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(88), TimeSpan.FromMinutes(91));
        Assert.Equal("awake", view.GetProperty("power").GetString());
        var actions = await Journey.ActivityActionsAsync(_tenant);
        Assert.Equal(3, actions.Count(a => a == "hibernation.updated"));
        Assert.Contains("hibernation.override", actions);
    }
}

public sealed class SqliteHibernationApiTests : HibernationApiTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresHibernationApiTests : HibernationApiTests
{
    protected override bool Postgres => true;
}
