using System.Text.Json.Nodes;
using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Tests.Storage;

public abstract partial class StorageContractTests
{
    private static readonly GrainStateKey Key = new("instance-pool", "us-east-1/c5.large", "pricing");

    [SkippableFact]
    public async Task ReadAsync_MissingState_ReturnsNull()
    {
        Assert.Null(await States.ReadAsync(Key, Ct));
    }

    [SkippableFact]
    public async Task WriteAsync_NewState_ReadReturnsJsonAndEtag()
    {
        var etag = await States.WriteAsync(Key, """{"price":0.034}""", null, Ct);

        var stored = await States.ReadAsync(Key, Ct);
        Assert.NotNull(stored);
        Assert.Equal(etag, stored.ETag);
        Assert.Equal(0.034m, JsonNode.Parse(stored.Json)!["price"]!.GetValue<decimal>());
    }

    [SkippableFact]
    public async Task WriteAsync_CurrentEtag_ReplacesJsonWithHigherEtag()
    {
        var first = await States.WriteAsync(Key, """{"price":1}""", null, Ct);

        var second = await States.WriteAsync(Key, """{"price":2}""", first, Ct);

        Assert.True(long.Parse(second) > long.Parse(first), $"ETag {second} should be above {first}");
        var stored = await States.ReadAsync(Key, Ct);
        Assert.Equal(second, stored?.ETag);
        Assert.Equal(2, JsonNode.Parse(stored!.Json)!["price"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task WriteAsync_NullEtagOverExistingState_ThrowsAndKeepsRow()
    {
        var etag = await States.WriteAsync(Key, """{"price":1}""", null, Ct);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => States.WriteAsync(Key, """{"price":2}""", null, Ct));

        Assert.Equal(etag, error.StoredEtag);
        Assert.Null(error.CurrentEtag);
        await AssertStoredAsync(etag, price: 1);
    }

    [SkippableFact]
    public async Task WriteAsync_StaleEtag_ThrowsAndKeepsRow()
    {
        var stale = await States.WriteAsync(Key, """{"price":1}""", null, Ct);
        var current = await States.WriteAsync(Key, """{"price":2}""", stale, Ct);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => States.WriteAsync(Key, """{"price":3}""", stale, Ct));

        Assert.Equal(current, error.StoredEtag);
        Assert.Equal(stale, error.CurrentEtag);
        await AssertStoredAsync(current, price: 2);
    }

    [SkippableFact]
    public async Task WriteAsync_EtagFromBeforeClearAndRecreate_Throws()
    {
        var beforeClear = await States.WriteAsync(Key, """{"price":1}""", null, Ct);
        await States.ClearAsync(Key, beforeClear, Ct);
        var recreated = await States.WriteAsync(Key, """{"price":2}""", null, Ct);

        Assert.NotEqual(beforeClear, recreated);
        await Assert.ThrowsAsync<InconsistentStateException>(() => States.WriteAsync(Key, """{"price":3}""", beforeClear, Ct));
        await AssertStoredAsync(recreated, price: 2);
    }

    [SkippableFact]
    public async Task WriteAsync_EtagButNoState_ThrowsAndCreatesNothing()
    {
        await Assert.ThrowsAsync<InconsistentStateException>(() => States.WriteAsync(Key, """{"price":1}""", "1", Ct));

        Assert.Null(await States.ReadAsync(Key, Ct));
    }

    [SkippableFact]
    public async Task WriteAsync_FiftyConcurrentWritersWithSameEtag_ExactlyOneWins()
    {
        var etag = await States.WriteAsync(Key, """{"writer":-1}""", null, Ct);

        var results = await RaceAsync(50, writer => States.WriteAsync(Key, $$"""{"writer":{{writer}}}""", etag, Ct));

        var winner = Assert.Single(results, result => result.Etag is not null);
        var stored = await States.ReadAsync(Key, Ct);
        Assert.Equal(winner.Etag, stored?.ETag);
        Assert.Equal(winner.Writer, JsonNode.Parse(stored!.Json)!["writer"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task WriteAsync_FiftyConcurrentCreators_ExactlyOneWins()
    {
        var results = await RaceAsync(50, writer => States.WriteAsync(Key, $$"""{"writer":{{writer}}}""", null, Ct));

        var winner = Assert.Single(results, result => result.Etag is not null);
        var stored = await States.ReadAsync(Key, Ct);
        Assert.Equal(winner.Etag, stored?.ETag);
        Assert.Equal(winner.Writer, JsonNode.Parse(stored!.Json)!["writer"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task ClearAsync_CurrentEtag_RemovesState()
    {
        var etag = await States.WriteAsync(Key, """{"price":1}""", null, Ct);

        await States.ClearAsync(Key, etag, Ct);

        Assert.Null(await States.ReadAsync(Key, Ct));
    }

    [SkippableFact]
    public async Task ClearAsync_StaleEtag_ThrowsAndKeepsRow()
    {
        var stale = await States.WriteAsync(Key, """{"price":1}""", null, Ct);
        var current = await States.WriteAsync(Key, """{"price":2}""", stale, Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => States.ClearAsync(Key, stale, Ct));

        await AssertStoredAsync(current, price: 2);
    }

    [SkippableFact]
    public async Task ClearAsync_NullEtagWithoutState_DoesNothing()
    {
        await States.ClearAsync(Key, null, Ct);

        Assert.Null(await States.ReadAsync(Key, Ct));
    }

    [SkippableFact]
    public async Task ClearAsync_NullEtagOverExistingState_ThrowsAndKeepsRow()
    {
        var etag = await States.WriteAsync(Key, """{"price":1}""", null, Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => States.ClearAsync(Key, null, Ct));

        await AssertStoredAsync(etag, price: 1);
    }

    [SkippableFact]
    public async Task WriteAsync_AfterClear_CreatesStateWithNullEtag()
    {
        var etag = await States.WriteAsync(Key, """{"price":1}""", null, Ct);
        await States.ClearAsync(Key, etag, Ct);

        var recreated = await States.WriteAsync(Key, """{"price":5}""", null, Ct);

        await AssertStoredAsync(recreated, price: 5);
    }

    [SkippableFact]
    public async Task WriteAsync_OtherStateNameOfSameGrain_IsIndependent()
    {
        var other = Key with { StateName = "history" };
        await States.WriteAsync(Key, """{"price":1}""", null, Ct);

        var otherEtag = await States.WriteAsync(other, """{"price":9}""", null, Ct);

        await AssertStoredAsync((await States.ReadAsync(Key, Ct))!.ETag, price: 1);
        Assert.Equal(9, JsonNode.Parse((await States.ReadAsync(other, Ct))!.Json)!["price"]!.GetValue<int>());
        Assert.Equal(otherEtag, (await States.ReadAsync(other, Ct))!.ETag);
    }

    [SkippableFact]
    public async Task WriteAsync_UnicodeAndNestedJson_RoundTrips()
    {
        const string json = """
            {"name":"Zoë – 東京 🚀","nested":{"levels":[1,{"deep":{"flag":true,"none":null}}],
             "big":9007199254740993,"ratio":12.5,"empty":{}},"escaped":"quote \" backslash \\ line\nend"}
            """;

        await States.WriteAsync(Key, json, null, Ct);

        // PostgreSQL's jsonb re-formats the text, so compare documents, then spot-check the tricky values.
        var stored = JsonNode.Parse((await States.ReadAsync(Key, Ct))!.Json)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), stored), stored.ToJsonString());
        Assert.Equal("Zoë – 東京 🚀", stored["name"]!.GetValue<string>());
        Assert.Equal(9007199254740993L, stored["nested"]!["big"]!.GetValue<long>());
        Assert.True(stored["nested"]!["levels"]![1]!["deep"]!["flag"]!.GetValue<bool>());
        Assert.Equal("quote \" backslash \\ line\nend", stored["escaped"]!.GetValue<string>());
    }

    private async Task AssertStoredAsync(string etag, int price)
    {
        var stored = await States.ReadAsync(Key, Ct);
        Assert.NotNull(stored);
        Assert.Equal(etag, stored.ETag);
        Assert.Equal(price, JsonNode.Parse(stored.Json)!["price"]!.GetValue<int>());
    }
}
