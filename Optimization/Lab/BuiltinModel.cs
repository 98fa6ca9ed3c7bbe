using System.Security.Cryptography;
using System.Text.Json;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Lab;

/// <summary>
/// The model shipped inside this assembly (<see cref="InterruptionModels"/>) as the Lab names it: the stable id
/// <see cref="Id"/>, next to uploaded models, so it can be listed, promoted back to production and compared with them.
/// Its version, training window and held-out scores are the artifact's own.
/// </summary>
public static class BuiltinModel
{
    public const string Id = "builtin";
    public const string Name = "builtin";

    private static readonly Lazy<byte[]> Bytes = new(Read);
    private static readonly Lazy<InterruptionModelArtifact> Parsed = new(() =>
        JsonSerializer.Deserialize<InterruptionModelArtifact>(Bytes.Value, InterruptionModelArtifact.JsonOptions)
        ?? throw new InvalidOperationException($"embedded artifact {InterruptionModels.ResourceName} is empty"));
    private static readonly Lazy<string> Hash = new(() => Convert.ToHexStringLower(SHA256.HashData(Bytes.Value)));

    public static InterruptionModelArtifact Artifact => Parsed.Value;

    public static string Version => Artifact.Version;

    public static string Sha256 => Hash.Value;

    public static long SizeBytes => Bytes.Value.LongLength;

    private static byte[] Read()
    {
        using var stream = typeof(BuiltinModel).Assembly.GetManifestResourceStream(InterruptionModels.ResourceName)
            ?? throw new InvalidOperationException($"embedded artifact {InterruptionModels.ResourceName} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
