using System.Data.Common;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation.WorldStore;

/// <summary>Applies the embedded scripts the host's migrator would, found by the same resource names.</summary>
internal static class WorldSchema
{
    public static async Task ApplyAsync(DbConnection connection, string dialect)
    {
        var assembly = typeof(SimulatedWorldSchema).Assembly;
        var prefix = $"{SimulatedWorldSchema.ResourcePrefix}{dialect}.";
        var scripts = assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(script)!);
            await using var command = connection.CreateCommand();
            command.CommandText = await reader.ReadToEndAsync();
            await command.ExecuteNonQueryAsync();
        }
    }
}
