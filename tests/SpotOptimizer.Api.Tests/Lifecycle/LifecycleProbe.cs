using Dapper;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Storage;

namespace SpotOptimizer.Api.Tests.Lifecycle;

/// <summary>What the lifecycle tests look at beside the API: the durable reminders and the database's rows.</summary>
public static class LifecycleProbe
{
    public static async Task<IReadOnlyList<string>> ClusterRemindersAsync(SpotOptimizerApp app, string clusterId) =>
        await RemindersAsync(app, app.Services.GetRequiredService<IGrainFactory>().GetGrain<IClusterGrain>(clusterId).GetGrainId());

    public static async Task<IReadOnlyList<string>> AccountRemindersAsync(SpotOptimizerApp app, string accountId) =>
        await RemindersAsync(app, app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(accountId).GetGrainId());

    public static async Task<int> ExecuteAsync(SpotOptimizerApp app, string sql, object parameters)
    {
        await using var connection = await app.Services.GetRequiredService<IRelationalDatabase>().OpenConnectionAsync(default);
        return await connection.ExecuteAsync(sql, parameters);
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(SpotOptimizerApp app, string sql, object parameters)
    {
        await using var connection = await app.Services.GetRequiredService<IRelationalDatabase>().OpenConnectionAsync(default);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    private static async Task<IReadOnlyList<string>> RemindersAsync(SpotOptimizerApp app, GrainId grain) =>
        [.. (await app.Services.GetRequiredService<IReminderTable>().ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal)];
}
