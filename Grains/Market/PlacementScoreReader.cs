using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Cloud;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Grains.Market;

/// <summary>
/// AWS's Spot placement scores as the optimize job reads them: the sets of <see cref="PlacementScoreSets"/> asked with
/// the customer's role, each answer kept per (account, region, configuration) for <see cref="CacheFor"/>, so the jobs
/// of one account within the hour ask AWS once (scores are advice that moves over hours; AWS may cap new
/// configurations per day). A read, not an action: it does not go through the executor and SAFE_MODE does not stop it.
/// A role without <c>ec2:GetSpotPlacementScores</c>, or any other failure of the read, leaves the scores absent with a
/// note; it never fails the job. Absence is remembered as long as an answer, so such a role is asked once an hour.
/// </summary>
public sealed partial class PlacementScoreReader(ICloudProvider cloud, TimeProvider time, ILogger<PlacementScoreReader> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);

    // Bounded: entries are a handful per (account, region); expired ones are swept whenever the bound is passed.
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<(string AccountId, string Region, string Configuration), Entry> _cache = new();

    /// <summary>Reads that reached the cloud (not served from the cache): what the cache saves, as tests check it.</summary>
    public int CloudReads => _cloudReads;

    private int _cloudReads;

    /// <param name="zoneIds">The account's zone names → zone IDs (as discovery read them); null when unknown, and scores cannot then be placed.</param>
    public async Task<PlacementScoreReading> ReadAsync(CloudSession session, string region, IReadOnlyList<PlacementScoreQuery> queries,
        IReadOnlyDictionary<string, string>? zoneIds, CancellationToken cancellationToken)
    {
        if (queries.Count == 0) return PlacementScoreReading.Absent("[MOD-AI-01] [PLACEMENT] no set of three or more candidate types to ask Spot placement scores for");
        if (zoneIds is null)
        {
            return PlacementScoreReading.Absent(
                "[MOD-AI-01] [PLACEMENT] Spot placement scores not used: the account's zone IDs are unknown (ec2:DescribeAvailabilityZones), so AWS's per-zone scores cannot be placed");
        }

        var answers = new List<(PlacementScoreQuery, IReadOnlyList<SpotPlacementScore>)>();
        foreach (var query in queries)
        {
            var entry = await EntryAsync(session, region, query, cancellationToken);
            if (entry.Failure is { } code) return PlacementScoreReading.Absent(AbsentNote(code));
            answers.Add((query, entry.Scores!));
        }

        var names = zoneIds.GroupBy(z => z.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.Ordinal);
        var byPool = PlacementScoreSets.ByPool(answers, names);
        return new PlacementScoreReading(new PlacementScores(byPool, PlacementScorePolicy.Default), null);
    }

    private async Task<Entry> EntryAsync(CloudSession session, string region, PlacementScoreQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = (session.AccountId, region, $"{string.Join(',', query.InstanceTypes.Order(StringComparer.Ordinal))}|{query.TargetCapacity}");
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now) return cached;

        Entry entry;
        try
        {
            Interlocked.Increment(ref _cloudReads);
            entry = new Entry(await cloud.SpotMarket.GetPlacementScoresAsync(session, region, query, cancellationToken), null, now + CacheFor);
        }
        catch (CloudException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Scores are advice beside the model: without them the job decides as it did before they existed.
            LogScoresAbsent(logger, exception, session.AccountId, region, exception.Code);
            entry = new Entry(null, exception.Code, now + CacheFor);
        }

        _cache[key] = entry;
        if (_cache.Count > MaxEntries) Sweep(now);
        return entry;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _cache)
        {
            if (entry.Until <= now) _cache.TryRemove(key, out _);
        }
    }

    private static string AbsentNote(string code) => code == CloudErrorCodes.MissingPermission(CloudActions.GetSpotPlacementScores)
        ? $"[MOD-AI-01] [PLACEMENT] Spot placement scores not used: the role lacks {CloudActions.GetSpotPlacementScores} (update the CloudFormation stack); risk from the model alone"
        : $"[MOD-AI-01] [PLACEMENT] Spot placement scores not used: AWS answered {code}; risk from the model alone";

    private sealed record Entry(IReadOnlyList<SpotPlacementScore>? Scores, string? Failure, DateTimeOffset Until);

    [LoggerMessage(1, LogLevel.Warning, "Spot placement scores of account {Account} in {Region} not read ({Code}); decisions use the model's risk alone")]
    private static partial void LogScoresAbsent(ILogger logger, Exception exception, string account, string region, string code);
}

/// <param name="Scores">Per pool in the tenant's zone names; null when absent.</param>
/// <param name="Note">Why the scores are absent, for the job's notes; null when read.</param>
public sealed record PlacementScoreReading(PlacementScores? Scores, string? Note)
{
    public static PlacementScoreReading Absent(string note) => new(null, note);
}
