using System.IO.Compression;
using System.Text.Json;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// What a tree-ensemble interruption model's artifact says about itself (<c>manifest.json</c> of the artifact zip):
/// the ML.NET model beside it (<c>model.zip</c>) reads the <see cref="Features"/> as one float vector and gives the
/// probability of the <see cref="Label"/> event, mapped to the contract's interruption probability by
/// <see cref="Output"/> exactly as the logistic model's is.
/// </summary>
public sealed record TreeModelManifest(
    string Format,
    string ModelKind,
    string Version,
    string ContractVersion,
    string FeatureSet,
    IReadOnlyList<string> Features,
    LabelDefinition Label,
    OutputMapping Output,
    TreeTrainingRecord Training,
    EvaluationRecord? Evaluation)
{
    public const string FormatName = "spotoptimizer.interruption-model.mlnet";
    public const string FastTree = "fasttree";
    public const string LightGbm = "lightgbm";
}

public sealed record TreeTrainingRecord(
    string Source,
    DateTimeOffset From,
    DateTimeOffset To,
    int Examples,
    int Positives,
    int Pools,
    int SampleEveryHours,
    int Seed,
    int Trees,
    int Leaves,
    int MinExamplesPerLeaf,
    double LearningRate);

/// <summary>
/// A tree model's artifact: one zip holding <c>manifest.json</c> and the ML.NET model zip (<c>model.zip</c>, as
/// <c>MLContext.Model.Save</c> wrote it), so it ships and uploads as a single file.
/// </summary>
public sealed record TreeModelArtifact(TreeModelManifest Manifest, byte[] MlNetModel)
{
    public const string ManifestEntry = "manifest.json";
    public const string ModelEntry = "model.zip";

    public byte[] ToZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var manifest = zip.CreateEntry(ManifestEntry).Open()) JsonSerializer.Serialize(manifest, Manifest, InterruptionModelArtifact.JsonOptions);
            using var model = zip.CreateEntry(ModelEntry).Open();
            model.Write(MlNetModel);
        }

        return buffer.ToArray();
    }

    /// <exception cref="InvalidDataException">Not a zip, or an entry is missing.</exception>
    /// <exception cref="JsonException">The manifest is not valid JSON for <see cref="TreeModelManifest"/>.</exception>
    public static TreeModelArtifact FromZip(Stream artifact)
    {
        using var zip = new ZipArchive(artifact, ZipArchiveMode.Read, leaveOpen: true);
        var manifestEntry = zip.GetEntry(ManifestEntry) ?? throw new InvalidDataException($"artifact has no {ManifestEntry}");
        var modelEntry = zip.GetEntry(ModelEntry) ?? throw new InvalidDataException($"artifact has no {ModelEntry}");
        TreeModelManifest manifest;
        using (var stream = manifestEntry.Open())
        {
            manifest = JsonSerializer.Deserialize<TreeModelManifest>(stream, InterruptionModelArtifact.JsonOptions) ?? throw new InvalidDataException($"{ManifestEntry} is empty");
        }

        using var model = modelEntry.Open();
        using var copy = new MemoryStream();
        model.CopyTo(copy);
        return new TreeModelArtifact(manifest, copy.ToArray());
    }
}
